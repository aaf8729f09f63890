// The stack's controls against the real shared stack (global setup brings it up): status shape, a stopped,
// crashed or hung component shows down and `up` restores it, the ingress phases, and the one-sentence
// failures (port in use, bad port, unknown component, missing tool). Breaking steps hold the stack lock.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as stack from '../scripts/stack/index.ts';
import { ensureCommands } from '../scripts/stack/install.ts';
import { withStackLock } from '../scripts/stack/lock.ts';
import { DEFAULT_PORTS, PLAN_HOSTS, REPO, ports } from '../scripts/stack/paths.ts';

const NAMES = ['kafka-summit', 'kafka-ldf', 'registry-summit', 'registry-ldf', 'connect', 'influxdb', 'telegraf', 'summit', 'ingress',
  'kube-etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'stack.ts'), ...args], {
      cwd: REPO, env: { ...process.env, ...env }, timeout: 120_000,
    }, (err, stdout, stderr) => resolve({ code: err ? Number((err as any).code ?? 1) : 0, stdout, stderr }));
  });
}

const states = async () => Object.fromEntries((await stack.status()).components.map((c) => [c.name, c.state]));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** GET https://<host>/ through the ingress by SNI, without verifying (the fake certificate is expected sometimes). */
function ingressGet(host: string): Promise<{ status: number; subject: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ports().ingress_https, servername: host, headers: { host }, path: '/', rejectUnauthorized: false, timeout: 5000 }, (res) => {
      res.resume();
      const cert = (res.socket as any).getPeerCertificate();
      resolve({ status: res.statusCode ?? 0, subject: cert?.subject?.CN ?? '' });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('stack status', () => {
  it('status --json prints exactly {"components":[{name,state,endpoint}]} with every component up', async () => {
    const r = await cli(['status', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['components']);
    expect(json.components.map((c: any) => c.name)).toEqual(NAMES);
    for (const c of json.components) {
      expect(Object.keys(c)).toEqual(['name', 'state', 'endpoint']);
      expect(c.state).toBe('up');
      expect(typeof c.endpoint).toBe('string');
    }
    expect(json.components.find((c: any) => c.name === 'kafka-summit').endpoint).toBe(`127.0.0.1:${ports().kafka_summit}`);
  });
});

// these wait for the shared lock, which other test runs may hold for minutes
const LOCKED = 900_000;

describe('faults and repair (holding the stack lock)', () => {
  it('a stopped, a crashed and a hung component each show down, and up restores all of them', async () => {
    await withStackLock(async () => {
      try {
        await stack.stop('ingress');
        await stack.kill('influxdb');
        await stack.freeze('registry-ldf');
        const s = await states();
        expect(s).toMatchObject({ ingress: 'down', influxdb: 'down', 'registry-ldf': 'down', 'kafka-summit': 'up', connect: 'up' });
        const r = await cli(['status', '--json']);
        expect(r.code).toBe(1);
      } finally {
        await stack.up({ quiet: true });
      }
      expect(Object.values(await states()).every((x) => x === 'up')).toBe(true);
    });
  }, LOCKED);

  it('a paused connector is resumed by up', async () => {
    await withStackLock(async () => {
      const url = `http://127.0.0.1:${ports().connect}/connectors/replicator-mirror-source/status`;
      try {
        await stack.pauseConnector('replicator-mirror-source');
        await expect.poll(async () => (await (await fetch(url)).json()).connector.state, { timeout: 15_000 }).toBe('PAUSED');
      } finally {
        await stack.up({ quiet: true });
      }
      expect((await (await fetch(url)).json()).connector.state).toBe('RUNNING');
    });
  }, LOCKED);

  it('pre-deploy: every host but Argo CD shows its own certificate and answers 404; deployed restores them', async () => {
    await withStackLock(async () => {
      try {
        await stack.ingressPhase('pre-deploy');
        expect(await ingressGet(PLAN_HOSTS.argocd)).toEqual({ status: 200, subject: PLAN_HOSTS.argocd });
        for (const h of [PLAN_HOSTS.registry, PLAN_HOSTS.influxdb, PLAN_HOSTS.chronograf]) {
          expect(await ingressGet(h)).toEqual({ status: 404, subject: h });
        }
      } finally {
        await stack.ingressPhase('deployed');
      }
      expect(await ingressGet(PLAN_HOSTS.registry)).toEqual({ status: 200, subject: PLAN_HOSTS.registry });
      expect((await ingressGet(PLAN_HOSTS.chronograf)).status).toBe(307);
    });
  }, LOCKED);
});

describe('one-sentence failures', () => {
  it('a port held by another process names the port and the component, before anything starts', async () => {
    // a throw-away state dir, lock and ports, so the shared stack is not touched
    const dir = mkdtempSync(join(tmpdir(), 'efd-stack-'));
    const env: Record<string, string> = { EFD_STACK_DIR: dir, EFD_STACK_LOCK: join(dir, 'lock') };
    for (const k of Object.keys(DEFAULT_PORTS)) env[`EFD_STACK_PORT_${k.toUpperCase()}`] = String(await freePort());
    const blocker: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const taken = (blocker.address() as { port: number }).port;
    env.EFD_STACK_PORT_CONNECT = String(taken);
    try {
      const r = await cli(['up'], env);
      expect(r.code).toBe(3);
      expect(r.stderr.trim()).toBe(`port ${taken} (connect) is already in use by another process: stop that process or choose another port with EFD_STACK_PORT_CONNECT.`);
      expect(r.stdout).toBe('');
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad port override and an unknown component are input errors (exit 4), one sentence each', async () => {
    const bad = await cli(['status'], { EFD_STACK_PORT_CONNECT: 'eighty' });
    expect(bad.code).toBe(4);
    expect(bad.stderr.trim()).toBe('environment variable EFD_STACK_PORT_CONNECT: port must be an integer between 1 and 65535, got "eighty".');
    const unknown = await cli(['stop', 'zookeeper']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr.trim()).toBe(`unknown component "zookeeper"; components are ${NAMES.join(', ')}.`);
  });

  it('a missing tool is one sentence saying what to install', async () => {
    await expect(ensureCommands(['efd-no-such-tool'], () => {})).rejects.toThrow(
      /^efd-no-such-tool is not installed: install efd-no-such-tool \(Debian: apt-get install efd-no-such-tool\), then run the stack again\.$/,
    );
  });
});
