// First-use install into the cache (~/.cache/efd-health): Kafka jars and Apicurio Registry from Maven Central
// (mvn), Telegraf (telegraf-build.ts) and InfluxDB 1.8 built from the Go module proxy. Each step is skipped when
// its result is already there, so a second run takes seconds. Missing Debian tools are apt-installed when
// running as root; otherwise one sentence says what to install.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { StackError } from './errors.ts';
import { FIXTURES, KUBE_VERSIONS, VERSIONS, cache } from './paths.ts';
import { buildKube, buildKwok, builtVersion, kubeBin, kubeBinDir, kwokStagesFile, missingKubeCmds } from './kube-build.ts';
import { TELEGRAF_BUILD, buildTelegraf } from './telegraf-build.ts';

export type Say = (line: string) => void;

/** Debian package that provides each command, for apt-get and for the "install …" sentence. */
const DEBIAN: Record<string, string> = {
  java: 'openjdk-17-jre-headless',
  mvn: 'maven',
  nginx: 'nginx',
  openssl: 'openssl',
  tar: 'tar',
  flock: 'util-linux',
  etcd: 'etcd-server',
};

async function which(cmd: string): Promise<string | undefined> {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  // Go is often installed outside the PATH that npm scripts see
  if (cmd === 'go') dirs.push('/usr/local/go/bin');
  for (const d of dirs) {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return join(d, cmd);
    } catch {}
  }
  return undefined;
}

/** Makes sure the commands exist; apt-installs the Debian ones as root, else one sentence naming what to install. */
export async function ensureCommands(cmds: string[], say: Say): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  let missing: string[] = [];
  for (const c of cmds) {
    const p = await which(c);
    if (p) found[c] = p;
    else missing.push(c);
  }
  const aptable = missing.filter((c) => DEBIAN[c]);
  if (aptable.length && process.getuid?.() === 0 && (await which('apt-get'))) {
    const pkgs = aptable.map((c) => DEBIAN[c]);
    say(`install Debian packages ${pkgs.join(' ')} …`);
    await aptInstall(pkgs);
    for (const c of aptable) {
      const p = await which(c);
      if (p) found[c] = p;
    }
    missing = missing.filter((c) => !found[c]);
  }
  if (missing.includes('go')) {
    throw new StackError('Go is not installed: install Go 1.21 or newer (it fetches the Go 1.26 toolchain that Telegraf 1.39 needs through the Go module proxy), then run the stack again.');
  }
  if (missing.length) {
    const pkgs = missing.map((c) => DEBIAN[c] ?? c);
    throw new StackError(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed: install ${pkgs.join(' ')} (Debian: apt-get install ${pkgs.join(' ')}), then run the stack again.`);
  }
  return found;
}

async function aptInstall(pkgs: string[]): Promise<void> {
  // policy-rc.d 101 keeps Debian's maintainer scripts from starting the packaged services (nginx on :80)
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    mkdirSync(cache.logs, { recursive: true });
    const log = join(cache.logs, 'apt.log');
    const r1 = await $({ env })`apt-get update`.nothrow().quiet();
    const r2 = await $({ env })`apt-get install -y --no-install-recommends ${pkgs}`.nothrow().quiet();
    writeFileSync(log, r1.stdout + r1.stderr + r2.stdout + r2.stderr);
    if (r2.exitCode !== 0) throw new StackError(`apt-get install ${pkgs.join(' ')} failed; see ${log}.`);
  } finally {
    if (!hadPolicy) rmSync(policy, { force: true });
  }
}

async function javaMajor(java: string): Promise<number> {
  if (!existsSync(java) && !java.startsWith('java')) return 0;
  const r = await $`${java} -version`.nothrow().quiet();
  const m = /version "(\d+)/.exec(r.stderr + r.stdout);
  return m ? Number(m[1]) : 0;
}

/** A java of at least this major version: EFD_STACK_JAVA_HOME, JAVA_HOME, the PATH, then /usr/lib/jvm/*. */
export async function findJava(min: number, onPath?: string): Promise<string | undefined> {
  const homes = [process.env.EFD_STACK_JAVA_HOME, process.env.JAVA_HOME].filter(Boolean) as string[];
  const jvm = existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').sort().reverse().map((d) => join('/usr/lib/jvm', d)) : [];
  const candidates = [...homes.map((h) => join(h, 'bin', 'java')), ...(onPath ? [onPath] : []), ...jvm.map((h) => join(h, 'bin', 'java'))];
  for (const c of candidates) if (existsSync(c) && (await javaMajor(c)) >= min) return c;
  return undefined;
}

export interface Installed {
  /** Java 17+ for Kafka and Connect */
  java: string;
  /** Java 21+ for Apicurio Registry 3.3 (its classes are Java 21 bytecode) */
  java21: string;
  kafkaClasspath: string;
  apicurioJar: string;
  telegraf: string;
  influxd: string;
  /** the box's Kubernetes (kube-build.ts) and Debian's etcd */
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
  kwokStages: string;
}

function paths(): Omit<Installed, 'java' | 'java21' | 'etcd'> {
  return {
    kubeApiserver: kubeBin('kube-apiserver'),
    kubeControllerManager: kubeBin('kube-controller-manager'),
    kubeScheduler: kubeBin('kube-scheduler'),
    kubectl: kubeBin('kubectl'),
    kwok: kubeBin('kwok'),
    kwokStages: kwokStagesFile(),
    kafkaClasspath: join(cache.kafkaLibs, '*'),
    apicurioJar: join(cache.vendor, `apicurio-registry-${VERSIONS.apicurio}`, 'quarkus-run.jar'),
    telegraf: join(cache.bin, 'telegraf'),
    influxd: join(cache.bin, 'influxd'),
  };
}

const stampFile = () => join(cache.root, 'installed.json');
const stampVersions = () => ({ ...VERSIONS, telegraf: TELEGRAF_BUILD, ...KUBE_VERSIONS });

/** The previous install's result, if everything it names is still there (lets `up` skip the checks). */
async function previous(): Promise<Installed | undefined> {
  try {
    const stamp = JSON.parse(readFileSync(stampFile(), 'utf8'));
    const r: Installed = stamp.installed;
    const expected = paths();
    const same = stamp.pom === pomHash() && JSON.stringify(stamp.versions) === JSON.stringify(stampVersions()) &&
      (Object.keys(expected) as Array<keyof typeof expected>).every((k) => r[k] === expected[k]);
    const there = [r.java, r.java21, r.apicurioJar, r.telegraf, r.influxd, join(cache.kafkaLibs, '.pom-sha256'), r.etcd,
      r.kubeApiserver, r.kubeControllerManager, r.kubeScheduler, r.kubectl, r.kwok, r.kwokStages].every((f) => f && existsSync(f));
    const tools = (await Promise.all(['nginx', 'openssl', 'flock'].map(which))).every(Boolean);
    return same && there && tools ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Installs whatever is missing; steps run in parallel (network-bound mvn beside CPU-bound go builds). */
export async function install(say: Say): Promise<Installed> {
  const prev = await previous();
  if (prev) return prev;
  const r = paths();
  const kafkaDone = kafkaLibsCurrent();
  const apicurioDone = existsSync(r.apicurioJar);
  const telegrafDone = await binaryVersion(r.telegraf, ['--version'], TELEGRAF_BUILD);
  const influxdDone = await binaryVersion(r.influxd, ['version'], VERSIONS.influxdb);
  const kubeMissing = await missingKubeCmds();
  const kwokDone = existsSync(r.kwokStages) && (await builtVersion(r.kwok, ['--version'], KUBE_VERSIONS.kwok));
  const needs = ['java', 'nginx', 'openssl', 'tar', 'flock', 'etcd'];
  if (!kafkaDone || !apicurioDone) needs.push('mvn');
  if (!telegrafDone || !influxdDone || kubeMissing.length || !kwokDone) needs.push('go');
  const cmds = await ensureCommands(needs, say);
  const java = await findJava(17, cmds.java);
  if (!java) throw new StackError('Kafka 4 needs Java 17 or newer: install openjdk-17-jre-headless (Debian: apt-get install openjdk-17-jre-headless), then run the stack again.');
  const java21 = await findJava(21, cmds.java);
  if (!java21) throw new StackError('Apicurio Registry 3.3 needs Java 21 or newer: install a JDK 21+ (e.g. Temurin) under /usr/lib/jvm or point EFD_STACK_JAVA_HOME at one, then run the stack again.');
  mkdirSync(cache.logs, { recursive: true });

  await Promise.all([
    step('kafka jars', kafkaDone, () => installKafkaLibs(cmds.mvn), say),
    step('apicurio registry', apicurioDone, () => installApicurio(cmds.mvn, r.apicurioJar), say),
    step('telegraf', telegrafDone, () => buildTelegraf(cmds.go, r.telegraf), say),
    step('influxdb', influxdDone, () => goInstall(cmds.go, 'influxd', [
      '-ldflags', `-s -w -X main.version=${VERSIONS.influxdb} -X main.branch=1.8`,
      `github.com/influxdata/influxdb/cmd/influxd@v${VERSIONS.influxdb}`]), say),
  ]);
  // the Kubernetes builds are the biggest (kube-apiserver alone takes minutes and 2.4 GB): one at a time, after the others
  await step('kwok', kwokDone, () => buildKwok(cmds.go, kubeBinDir()), say);
  await step(`kubernetes (${kubeMissing.join(', ')})`, !kubeMissing.length, () => buildKube(cmds.go, kubeBinDir(), kubeMissing), say);
  const result = { ...r, java, java21, etcd: cmds.etcd };
  writeFileSync(stampFile(), JSON.stringify({ pom: pomHash(), versions: stampVersions(), installed: result }, null, 2) + '\n');
  return result;
}

async function step(name: string, done: boolean, run: () => Promise<void>, say: Say): Promise<void> {
  if (done) return;
  const t0 = Date.now();
  say(`install ${name} …`);
  await run();
  say(`install ${name} … done (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function pomHash(): string {
  return createHash('sha256').update(readFileSync(join(FIXTURES, 'kafka-runtime', 'pom.xml'))).digest('hex');
}

function kafkaLibsCurrent(): boolean {
  const stamp = join(cache.kafkaLibs, '.pom-sha256');
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pomHash();
}

async function installKafkaLibs(mvn: string): Promise<void> {
  const dir = cache.kafkaLibs;
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const log = join(cache.logs, 'mvn-kafka.log');
  const r = await $`${mvn} -B -f ${join(FIXTURES, 'kafka-runtime', 'pom.xml')} dependency:copy-dependencies -DoutputDirectory=${tmp} -DincludeScope=runtime`.nothrow().quiet();
  writeFileSync(log, r.stdout + r.stderr);
  if (r.exitCode !== 0) throw new StackError(`resolving the Kafka jars with mvn failed; see ${log}.`);
  const jars = readdirSync(tmp);
  // Kafka logs nothing without an SLF4J binding matching slf4j-api's major version
  const api = jars.find((j) => /^slf4j-api-\d/.test(j));
  const binding = api?.startsWith('slf4j-api-1.') ? 'log4j-slf4j-impl-' : 'log4j-slf4j2-impl-';
  if (!jars.some((j) => j.startsWith(binding))) {
    throw new StackError(`the Kafka jars have ${api ?? 'no slf4j-api'} but no ${binding}*.jar: add it to fixtures/stack/kafka-runtime/pom.xml.`);
  }
  writeFileSync(join(tmp, '.pom-sha256'), pomHash() + '\n');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  renameSync(tmp, dir);
}

async function installApicurio(mvn: string, jar: string): Promise<void> {
  const tarball = join(cache.vendor, `apicurio-registry-app-${VERSIONS.apicurio}-all.tar.gz`);
  mkdirSync(cache.vendor, { recursive: true });
  if (!existsSync(tarball)) {
    const log = join(cache.logs, 'mvn-apicurio.log');
    const r = await $({ cwd: cache.vendor })`${mvn} -B dependency:copy -Dartifact=io.apicurio:apicurio-registry-app:${VERSIONS.apicurio}:tar.gz:all -DoutputDirectory=${cache.vendor}`.nothrow().quiet();
    writeFileSync(log, r.stdout + r.stderr);
    if (r.exitCode !== 0 || !existsSync(tarball)) throw new StackError(`downloading Apicurio Registry with mvn failed; see ${log}.`);
  }
  const dir = join(jar, '..');
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await $`tar -xzf ${tarball} -C ${tmp}`.quiet();
  if (!existsSync(join(tmp, 'quarkus-run.jar'))) throw new StackError(`${tarball} has no quarkus-run.jar at its root; the Apicurio archive layout changed.`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  rmSync(tarball, { force: true }); // 160 MB, no longer needed once unpacked
}

async function goInstall(go: string, name: string, args: string[]): Promise<void> {
  mkdirSync(cache.bin, { recursive: true });
  const log = join(cache.logs, `${name}-build.log`);
  const env = { ...process.env, GOBIN: cache.bin, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  const r = await $({ env })`${go} install ${args}`.nothrow().quiet();
  writeFileSync(log, r.stdout + r.stderr);
  if (r.exitCode !== 0) throw new StackError(`building ${name} with go install failed; see ${log}.`);
}

async function binaryVersion(bin: string, args: string[], version: string): Promise<boolean> {
  if (!existsSync(bin)) return false;
  const r = await $`${bin} ${args}`.nothrow().quiet();
  return (r.stdout + r.stderr).includes(version);
}
