// What one certificate says, read once: names, validity, key, signature. Pure: no network, no verdict.
import { X509Certificate } from 'node:crypto';
import { signatureAlgorithm, type SignatureAlgorithm } from './der.ts';

export interface CertInfo {
  x509: X509Certificate;
  /** one line: "CN=…, O=…" */
  subject: string;
  issuer: string;
  /** the CN, or the subject line when there is none */
  label: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  isCA: boolean;
  keyType: string;
  /** RSA/DSA modulus or EC curve size; undefined for Ed25519/Ed448 */
  keyBits?: number;
  curve?: string;
  signature: SignatureAlgorithm;
  fingerprint256: string;
  serial: string;
}

export function describeCert(der: Buffer): CertInfo {
  const x = new X509Certificate(der);
  const subject = oneLine(x.subject);
  const cn = /(?:^|, )CN=([^,]+)/.exec(subject)?.[1];
  const sans = splitSan(x.subjectAltName);
  const key = x.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const curve = details.namedCurve;
  const keyBits = details.modulusLength ?? (curve ? curveBits(curve) : undefined);
  let signature: SignatureAlgorithm;
  try {
    signature = signatureAlgorithm(der);
  } catch {
    signature = { oid: '?', name: 'unreadable', hash: 'unknown' };
  }
  return {
    x509: x,
    subject,
    issuer: oneLine(x.issuer),
    label: cn ?? subject,
    dnsNames: sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4).toLowerCase()),
    ipAddresses: sans.filter((s) => s.startsWith('IP Address:')).map((s) => s.slice(11)),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    selfSigned: x.checkIssued(x) && safeVerify(x, x),
    isCA: x.ca,
    keyType,
    keyBits,
    curve,
    signature,
    fingerprint256: x.fingerprint256,
    serial: x.serialNumber,
  };
}

/** Did `issuer` sign `cert`? (names and key ids match, and the signature verifies) */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && safeVerify(cert, issuer);
}

function safeVerify(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/** Node prints "DNS:a, DNS:b, IP Address:1.2.3.4"; names needing escapes come quoted as JSON strings. */
function splitSan(san: string | undefined): string[] {
  if (!san) return [];
  const out: string[] = [];
  const re = /(DNS|IP Address|URI|email|DirName|othername|Registered ID):("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (let m; (m = re.exec(san)); ) {
    const v = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
    out.push(`${m[1]}:${v.trim()}`);
  }
  return out;
}

function curveBits(curve: string): number | undefined {
  const known: Record<string, number> = { prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521, prime192v1: 192, secp224r1: 224 };
  if (known[curve]) return known[curve];
  const m = /(\d{3})/.exec(curve);
  return m ? Number(m[1]) : undefined;
}
