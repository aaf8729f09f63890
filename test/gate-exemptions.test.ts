// Exemptions are as narrow as their keys: a new finding of the same rule on an exempted object fails, a
// key that excuses nothing is stale, a malformed annotation is invalid input (exit 4). Offline.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { runGate } from '../src/gate/index.ts';
import { evaluateGate, removeScratch, replaceOnce, ruleIds, scratchCopy } from './gate-helpers.ts';

const ALLOWLIST = '"140.252.32.0/23,140.252.33.0/23,140.252.90.0/23"';
let dir: string;
beforeEach(() => {
  dir = scratchCopy();
});
afterEach(() => {
  removeScratch(dir);
  vi.restoreAllMocks();
});

test('a new non-canonical, overlapping CIDR on an exempted Ingress fails; the exempted entries stay excused', () => {
  replaceOnce(dir, 'ingress/chronograf.yaml', ALLOWLIST, '"140.252.32.0/23,140.252.33.0/23,140.252.90.0/23,140.252.91.0/23"');
  const r = evaluateGate(dir);
  expect(ruleIds(r)).toEqual(['manifests.ingress.cidr_canonical']);
  expect(r.violations.map((v) => v.keys)).toEqual([['140.252.91.0/23'], ['140.252.90.0/23', '140.252.91.0/23']]);
  expect(r.violations.every((v) => v.file.endsWith('ingress/chronograf.yaml'))).toBe(true);
  expect(r.exemptions.filter((e) => e.file.endsWith('ingress/chronograf.yaml'))).toHaveLength(2);
});

test('an overlap with an exempted entry is a new finding: all of its keys must be listed', () => {
  replaceOnce(dir, 'ingress/influxdb.yaml', ALLOWLIST, '"140.252.32.0/23,140.252.33.0/23,140.252.90.0/23,140.252.32.0/24"');
  const r = evaluateGate(dir);
  expect(ruleIds(r)).toEqual(['manifests.ingress.cidr_canonical']);
  expect(r.violations.map((v) => v.keys)).toEqual([['140.252.32.0/23', '140.252.32.0/24'], ['140.252.33.0/23', '140.252.32.0/24']]);
});

test('a second backend on the exempted Argo CD Ingress still fails ingress.backend_service', () => {
  replaceOnce(dir, 'ingress/argocd.yaml', '                  number: 443\n', '                  number: 443\n          - path: /dex\n            pathType: Prefix\n            backend:\n              service:\n                name: argocd-dex-server\n                port:\n                  number: 5556\n');
  const r = evaluateGate(dir);
  expect(ruleIds(r)).toEqual(['manifests.ingress.backend_service']);
  expect(r.violations).toHaveLength(1);
  expect(r.violations[0].keys).toEqual(['argocd-dex-server']);
  expect(r.exemptions.some((e) => e.rule === 'manifests.ingress.backend_service')).toBe(true);
});

test('a key that excuses nothing is stale, even when the others still excuse findings', () => {
  replaceOnce(dir, 'ingress/argocd.yaml', 'keys: [argocd-server]', 'keys: [argocd-server, argocd-repo-server]');
  const r = evaluateGate(dir);
  expect(ruleIds(r)).toEqual(['manifests.exemptions.stale']);
  expect(r.violations).toHaveLength(1);
  expect(r.violations[0].message).toMatch(/lists argocd-repo-server, which no finding/);
  expect(r.violations[0].file).toMatch(/ingress\/argocd\.yaml$/);
});

test('an exemption of a rule that cannot be exempted is reported, and excuses nothing', () => {
  replaceOnce(dir, 'ingress/argocd.yaml', 'efd-health.lsst.io/exempt-manifests.ingress.backend_service:', 'efd-health.lsst.io/exempt-manifests.exemptions.stale:');
  const r = evaluateGate(dir);
  expect(ruleIds(r)).toEqual(['manifests.exemptions.reason', 'manifests.ingress.backend_service']);
});

test('the summary counts exempted findings, not exempted objects', async () => {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((out += String(s)), true));
  expect(await runGate({ manifests: dir })).toBe(0);
  expect(out).toMatch(/0 violations, 9 exempted findings/);
});

test('a malformed exemption annotation is invalid input: exit 4, one sentence naming file, line and key', async () => {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  replaceOnce(dir, 'ingress/argocd.yaml', 'keys: [argocd-server]', 'keys: [argocd-server\n      because: yes');
  expect(await runGate({ manifests: dir })).toBe(4);
  expect(err.trim().split('\n')).toHaveLength(1);
  expect(err).toMatch(/ingress\/argocd\.yaml:\d+: annotation efd-health\.lsst\.io\/exempt-manifests\.ingress\.backend_service of Ingress argocd\/argocd-server-ldf is not YAML/);
  expect(err).not.toMatch(/\n\s+at /);
});

test('the old plain-text form is invalid input that says how to write it', async () => {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += String(s)), true));
  replaceOnce(dir, 'ingress/argocd.yaml', 'backend_service: |\n      keys: [argocd-server]\n      reason: >-\n  ', 'backend_service: >-\n');
  expect(await runGate({ manifests: dir })).toBe(4);
  expect(err).toMatch(/ingress\/argocd\.yaml:19: annotation efd-health\.lsst\.io\/exempt-manifests\.ingress\.backend_service of Ingress argocd\/argocd-server-ldf is not a mapping; write it as YAML "keys: \[<finding key>, …\]" and "reason: <why>"/);
});
