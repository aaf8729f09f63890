// How long the ingress suite takes for the local stack's four plan hosts (issue 5: under 3 s, hosts in
// parallel) and how long a host that does not answer costs (issue 5: a finding within its timeout).
//   npx tsx scripts/bench/ingress.ts [runs]
// Read-only against the running stack (no lock needed). Each run is runIngress() on profiles/local.yaml in
// this process: trust store, targets, DNS/override, handshakes, protocol probes and HTTP for every host.
// The per-phase medians come from the findings' measurements. The load average is printed alongside,
// because on two cores other work on the machine shows up in every figure.
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import { defaultProfilePath, loadProfile } from '../../src/config/profile.ts';
import { runIngress } from '../../src/ingress/run.ts';

const runs = Number(process.argv[2] ?? 10);
const profile = loadProfile(defaultProfilePath());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${median(s).toFixed(0)} ms, min ${s[0].toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms`;
};

const wall: number[] = [];
const phases: Record<string, number[]> = { dns_ms: [], connect_ms: [], tls_ms: [], first_byte_ms: [] };
let failing = 0;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const run = await runIngress(profile);
  wall.push(performance.now() - t);
  failing += run.verdicts.filter((v) => v.outcome.status === 'fail' || v.outcome.status === 'error').length;
  for (const v of run.verdicts) for (const [k, x] of Object.entries(v.outcome.measurements ?? {})) if (k in phases) phases[k].push(x);
}
const hosts = new Set((await runIngress(profile)).facts.map((f) => f.target.host)).size;
console.log(`ingress suite, ${hosts} hosts (${profile.file}), ${runs} runs: ${fmt(wall)}; failing findings over all runs: ${failing}`);
for (const [k, xs] of Object.entries(phases)) if (xs.length) console.log(`  ${k.padEnd(14)} median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} values)`);

// A host that accepts TCP and never speaks TLS, with a 1 s timeout: the findings must come within ~1 s.
const sockets = new Set<net.Socket>();
const hole = net.createServer((s) => (sockets.add(s), s.on('error', () => {})));
await new Promise<void>((r) => hole.listen(0, '127.0.0.1', () => r()));
const port = (hole.address() as net.AddressInfo).port;
const silent = { ...profile, timeout_ms: 1000, ingress: { ...profile.ingress, resolve: { 'silent-influxdb.efd.test': `127.0.0.1:${port}` }, extra_hosts: [] }, manifests: '/nonexistent' };
const t = performance.now();
const r = await runIngress(silent);
const ms = performance.now() - t;
const hs = r.verdicts.find((v) => v.id === 'ingress.tls.handshake')!.outcome;
console.log(`silent host, timeout_ms 1000: findings after ${ms.toFixed(0)} ms (handshake: ${hs.status} ${hs.reason})`);
for (const s of sockets) s.destroy();
hole.close();
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
