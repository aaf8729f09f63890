// The ingress's certificates, made with openssl: a local root CA (.stack/certs/ca.crt, what clients trust),
// an intermediate CA, one RSA 2048 / SHA-256 server certificate per plan host signed by the intermediate
// (served with the chain), and the default server's self-signed "fake certificate", like ingress-nginx's.
// Server certificates last 90 days and are re-issued by `up` when fewer than 45 days are left.
import { X509Certificate, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { PLAN_HOSTS, state } from './paths.ts';

const DAY = 86_400_000;
const LEAF_DAYS = 90;
const RENEW_BELOW_DAYS = 45;

export async function ensureCerts(): Promise<string[]> {
  const dir = state.certs;
  mkdirSync(dir, { recursive: true });
  const made: string[] = [];
  const p = (f: string) => join(dir, f);
  if (!existsSync(p('ca.crt')) || !existsSync(p('ca.key'))) {
    await $`openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -subj ${'/O=efd-health local stack/CN=efd-health local root CA'} -addext ${'basicConstraints=critical,CA:TRUE'} -addext ${'keyUsage=critical,keyCertSign,cRLSign'} -keyout ${p('ca.key')} -out ${p('ca.crt')}`.quiet();
    rmSync(p('intermediate.crt'), { force: true });
    made.push('root CA');
  }
  if (!existsSync(p('intermediate.crt')) || !issuedBy(p('intermediate.crt'), p('ca.crt'))) {
    await sign({
      dir, name: 'intermediate', subject: '/O=efd-health local stack/CN=efd-health local intermediate CA',
      ca: 'ca', days: 1825,
      ext: ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always'],
    });
    made.push('intermediate CA');
  }
  for (const host of Object.values(PLAN_HOSTS)) {
    const crt = p(`${host}.crt`);
    if (existsSync(crt) && existsSync(p(`${host}.key`)) && issuedBy(crt, p('intermediate.crt')) && daysLeft(crt) >= RENEW_BELOW_DAYS) continue;
    await sign({
      dir, name: host, subject: `/CN=${host}`, ca: 'intermediate', days: LEAF_DAYS,
      ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth', `subjectAltName=DNS:${host}`, 'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid,issuer'],
    });
    writeFileSync(p(`${host}.chain.crt`), readFileSync(crt, 'utf8') + readFileSync(p('intermediate.crt'), 'utf8'));
    made.push(host);
  }
  if (!existsSync(p('default.crt')) || daysLeft(p('default.crt')) < 30) {
    await $`openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 365 -subj ${'/O=Acme Co/CN=Kubernetes Ingress Controller Fake Certificate'} -addext ${'subjectAltName=DNS:ingress.local'} -keyout ${p('default.key')} -out ${p('default.crt')}`.quiet();
    made.push('default server');
  }
  return made;
}

/** Issues <dir>/<name>.{crt,key} signed by <caDir or dir>/<ca>.{crt,key}. */
export async function sign(o: { dir: string; name: string; subject: string; ca: string; caDir?: string; days: number; ext: string[] }): Promise<void> {
  const p = (f: string) => join(o.dir, f);
  const c = (f: string) => join(o.caDir ?? o.dir, f);
  const extFile = p(`${o.name}.ext`);
  writeFileSync(extFile, o.ext.join('\n') + '\n');
  try {
    await $`openssl req -new -newkey rsa:2048 -nodes -subj ${o.subject} -keyout ${p(`${o.name}.key`)} -out ${p(`${o.name}.csr`)}`.quiet();
    await $`openssl x509 -req -sha256 -days ${o.days} -in ${p(`${o.name}.csr`)} -CA ${c(`${o.ca}.crt`)} -CAkey ${c(`${o.ca}.key`)} -set_serial ${'0x' + randomBytes(12).toString('hex')} -extfile ${extFile} -out ${p(`${o.name}.crt`)}`.quiet();
  } finally {
    rmSync(extFile, { force: true });
    rmSync(p(`${o.name}.csr`), { force: true });
  }
}

function cert(path: string): X509Certificate {
  return new X509Certificate(readFileSync(path));
}

export function daysLeft(path: string): number {
  return (Date.parse(cert(path).validTo) - Date.now()) / DAY;
}

export function issuedBy(path: string, caPath: string): boolean {
  if (!existsSync(caPath)) return false;
  try {
    const c = cert(path);
    const ca = cert(caPath);
    return c.checkIssued(ca) && c.verify(ca.publicKey);
  } catch {
    return false;
  }
}
