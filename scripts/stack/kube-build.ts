// Builds the box's Kubernetes: kube-apiserver and kube-controller-manager from k8s.io/kubernetes, and KWOK.
// k8s.io/kubernetes cannot be `go install`ed: its go.mod requires its staging modules (k8s.io/api, …) at
// v0.0.0 with local replaces. A wrapper module requires it and replaces each of those modules with its
// published v0.<minor>.<patch>; the list is read from k8s.io/kubernetes's own go.mod, never written by hand.
// Builds run under nice with at most two packages at a time: the box shares two cores with the running stack.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { $ } from 'zx';
import { StackError } from './errors.ts';
import { KUBE_VERSIONS, cache } from './paths.ts';

const K8S = 'k8s.io/kubernetes';
const KWOK = 'sigs.k8s.io/kwok';
// kubectl too: the box applies its deployment with a client of its own version (no skew, nothing assumed installed)
export const KUBE_CMDS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'] as const;

const goEnv = () => ({ ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false -mod=mod -p=2' });

/** The replace directives: every k8s.io module that k8s.io/kubernetes requires at v0.0.0, pinned to v0.<minor>.<patch>. */
export function stagingReplaces(kubernetesGoMod: string, version: string): string[] {
  const staging = `v0.${version.replace(/^v1\./, '')}`;
  const mods = new Set<string>();
  for (const m of kubernetesGoMod.matchAll(/^\s*(?:require\s+)?(k8s\.io\/[\w.\-/]+)\s+v0\.0\.0(?=\s*(?:\/\/.*)?$)/gm)) mods.add(m[1]);
  return [...mods].sort().map((m) => `replace ${m} => ${m} ${staging}`);
}

/** The go directive of k8s.io/kubernetes's go.mod, so the machine's Go (or the toolchain it fetches) matches. */
function goDirective(kubernetesGoMod: string): string {
  const m = /^go\s+(\S+)/m.exec(kubernetesGoMod);
  if (!m) throw new StackError(`${K8S}@${KUBE_VERSIONS.kubernetes} has a go.mod without a go directive.`);
  return m[1];
}

/** -X flags so the binaries report their real version (unset, the server says v0.0.0 and kubectl warns). */
function versionLdflags(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  const vars = { gitVersion: version, gitMajor: major, gitMinor: minor, gitTreeState: 'clean' };
  const pkgs = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'];
  return ['-s', '-w', ...pkgs.flatMap((p) => Object.entries(vars).map(([k, v]) => `-X ${p}.${k}=${v}`))].join(' ');
}

async function run(log: string, what: string, cmd: () => Promise<{ exitCode: number | null; stdout: string; stderr: string }>): Promise<string> {
  const r = await cmd();
  writeFileSync(log, r.stdout + r.stderr, { flag: 'a' });
  if (r.exitCode !== 0) throw new StackError(`building Kubernetes: ${what} failed; see ${log}.`);
  return r.stdout;
}

/** Builds the given Kubernetes commands (default: all of KUBE_CMDS) into binDir. */
export async function buildKube(go: string, binDir: string, cmds: readonly string[] = KUBE_CMDS): Promise<void> {
  const version = KUBE_VERSIONS.kubernetes;
  const log = join(cache.logs, 'kube-build.log');
  mkdirSync(cache.logs, { recursive: true });
  writeFileSync(log, '');
  const env = goEnv();
  const dl = await run(log, `go mod download ${K8S}@${version}`, () => $({ env })`${go} mod download -json ${K8S}@${version}`.nothrow().quiet());
  const kubeMod = readFileSync(JSON.parse(dl).GoMod, 'utf8');

  const src = join(cache.root, 'build', `kube-${version}`);
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  const replaces = stagingReplaces(kubeMod, version);
  if (replaces.length === 0) throw new StackError(`${K8S}@${version}'s go.mod requires no k8s.io module at v0.0.0; the wrapper recipe no longer applies.`);
  writeFileSync(join(src, 'go.mod'), [
    'module efd-health.local/kube-box', '', `go ${goDirective(kubeMod)}`, '', `require ${K8S} ${version}`, '', ...replaces, '',
  ].join('\n'));
  writeFileSync(join(src, 'tools.go'), [
    '//go:build tools', '', '// Package tools pins the commands the box builds.', 'package tools', '', 'import (',
    ...KUBE_CMDS.map((c) => `\t_ "${K8S}/cmd/${c}"`), ')', '',
  ].join('\n'));
  await run(log, 'go mod tidy', () => $({ env, cwd: src })`nice -n 15 ${go} mod tidy`.nothrow().quiet());

  mkdirSync(binDir, { recursive: true });
  for (const cmd of cmds) {
    await run(log, `go build ${cmd}`, () =>
      $({ env, cwd: src })`nice -n 15 ${go} build -trimpath -ldflags ${versionLdflags(version)} -o ${join(binDir, cmd)} ${K8S}/cmd/${cmd}`.nothrow().quiet());
  }
  rmSync(src, { recursive: true, force: true });
}

/** KWOK's default stages, as kwokctl configures them: nodes become Ready and keep a lease; pods become Ready,
 * Job pods complete, deleted pods go. They ship in KWOK's module as YAML, copied from there at build time. */
const KWOK_STAGES = ['node/fast/node-initialize.yaml', 'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'pod/fast/pod-ready.yaml', 'pod/fast/pod-complete.yaml', 'pod/fast/pod-delete.yaml'];
export const kwokStagesFile = () => join(kubeBinDir(), 'kwok-stages.yaml');

/** Builds KWOK (a plain Go module) into binDir, with its default stages beside it. */
export async function buildKwok(go: string, binDir: string): Promise<void> {
  const log = join(cache.logs, 'kwok-build.log');
  mkdirSync(cache.logs, { recursive: true });
  writeFileSync(log, '');
  mkdirSync(binDir, { recursive: true });
  const mod = `${KWOK}@${KUBE_VERSIONS.kwok}`;
  const dl = await run(log, `go mod download ${mod}`, () => $({ env: goEnv() })`${go} mod download -json ${mod}`.nothrow().quiet());
  const dir: string = JSON.parse(dl).Dir;
  const stages = KWOK_STAGES.map((f) => readFileSync(join(dir, 'kustomize', 'stage', f), 'utf8').trim());
  await run(log, `go install ${KWOK}/cmd/kwok@${KUBE_VERSIONS.kwok}`, () =>
    $({ env: { ...goEnv(), GOBIN: binDir } })`nice -n 15 ${go} install -trimpath -ldflags=-s ${`${KWOK}/cmd/kwok@${KUBE_VERSIONS.kwok}`}`.nothrow().quiet());
  writeFileSync(join(binDir, 'kwok-stages.yaml'), stages.join('\n---\n') + '\n');
}

/** Whether a cached binary was built from the wanted module version (read from its embedded build info). */
export async function builtVersion(bin: string, args: string[], version: string): Promise<boolean> {
  if (!existsSync(bin)) return false;
  const r = await $`${bin} ${args}`.nothrow().quiet();
  return (r.stdout + r.stderr).includes(version);
}

export const kubeBin = (name: string) => join(cache.bin, 'kube', name);

/** The Kubernetes commands not yet built at KUBE_VERSIONS.kubernetes. */
export async function missingKubeCmds(): Promise<string[]> {
  const missing: string[] = [];
  for (const c of KUBE_CMDS) {
    const args = c === 'kubectl' ? ['version', '--client'] : ['--version'];
    if (!(await builtVersion(kubeBin(c), args, KUBE_VERSIONS.kubernetes))) missing.push(c);
  }
  return missing;
}
export const kubeBinDir = () => dirname(kubeBin('x'));

// `node scripts/stack/kube-build.ts` builds what is missing (the stack's install step calls the same functions)
if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const go = process.env.GO ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go');
  const t0 = Date.now();
  const stamp = (what: string) => console.log(`${what} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  if (!existsSync(kwokStagesFile()) || !(await builtVersion(kubeBin('kwok'), ['--version'], KUBE_VERSIONS.kwok))) { await buildKwok(go, kubeBinDir()); stamp('kwok built'); }
  const missing = await missingKubeCmds();
  if (missing.length) { await buildKube(go, kubeBinDir(), missing); stamp(`${missing.join(', ')} built`); }
}
