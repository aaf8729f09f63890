// CIDR blocks for allowlists: parse IPv4/IPv6, tell canonical form, containment and overlap.
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  text: string;
  family: 4 | 6;
  /** address as written */
  address: bigint;
  prefix: number;
  /** first address of the block (host bits cleared) */
  network: bigint;
}

function v4(a: string): bigint {
  return a.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6(a: string): bigint {
  let [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const parse = (s: string | undefined) => (s ? s.split(':') : []);
  let h = parse(head);
  let t = parse(tail);
  // an embedded IPv4 tail counts as two groups
  const fix = (groups: string[]) =>
    groups.flatMap((g) => {
      if (!g.includes('.')) return [g];
      const n = v4(g);
      return [(n >> 16n).toString(16), (n & 0xffffn).toString(16)];
    });
  h = fix(h);
  t = fix(t);
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const [, addr, p] = m;
  const prefix = Number(p);
  let family: 4 | 6;
  let address: bigint;
  if (isIPv4(addr)) {
    family = 4;
    address = v4(addr);
  } else if (isIPv6(addr)) {
    family = 6;
    address = v6(addr);
  } else return undefined;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const network = (address >> hostBits) << hostBits;
  return { text: text.trim(), family, address, prefix, network };
}

export function isCanonical(c: Cidr): boolean {
  return c.address === c.network;
}

export function formatCidr(c: Cidr, which: 'network' | 'address' = 'network'): string {
  const n = which === 'network' ? c.network : c.address;
  if (c.family === 4) return `${[24n, 16n, 8n, 0n].map((s) => (n >> s) & 255n).join('.')}/${c.prefix}`;
  const groups = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':')}/${c.prefix}`;
}

/** True when `outer` covers every address of `inner`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const bits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return inner.network >> bits === outer.network >> bits;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}
