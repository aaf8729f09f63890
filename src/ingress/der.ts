// Just enough DER to read what Node's X509Certificate does not expose: the certificate's signature
// algorithm (Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }).

interface Tlv {
  tag: number;
  /** start of the value */
  start: number;
  /** end of the value (exclusive) */
  end: number;
}

function readTlv(buf: Buffer, pos: number): Tlv {
  if (pos + 2 > buf.length) throw new Error('DER: truncated');
  const tag = buf[pos];
  let len = buf[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  if (start + len > buf.length) throw new Error('DER: truncated');
  return { tag, start, end: start + len };
}

function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.start; p < parent.end; ) {
    const t = readTlv(buf, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

function oidString(buf: Buffer, t: Tlv): string {
  if (t.tag !== 0x06) throw new Error('DER: expected an OID');
  const b = buf.subarray(t.start, t.end);
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** signature OID → [name, hash] */
const SIG_ALGS: Record<string, [string, string]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'md2'],
  '1.2.840.113549.1.1.3': ['md4WithRSAEncryption', 'md4'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'md5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'sha1'],
  '1.3.14.3.2.29': ['sha1WithRSASignature', 'sha1'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'sha256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'sha384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'sha512'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'sha224'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'sha1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'sha224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'sha256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'sha384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'sha512'],
  '1.2.840.10040.4.3': ['dsa-with-sha1', 'sha1'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-sha256', 'sha256'],
  '1.3.101.112': ['ed25519', 'ed25519'],
  '1.3.101.113': ['ed448', 'ed448'],
};

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
};

const RSA_PSS = '1.2.840.113549.1.1.10';

export interface SignatureAlgorithm {
  oid: string;
  /** e.g. sha256WithRSAEncryption, rsassa-pss(sha256) */
  name: string;
  /** lower-case hash name (sha1, sha256 …), or `unknown` */
  hash: string;
}

/** The outer signatureAlgorithm of a DER certificate. */
export function signatureAlgorithm(der: Buffer): SignatureAlgorithm {
  const cert = readTlv(der, 0);
  const [, algId] = children(der, cert);
  if (!algId || algId.tag !== 0x30) throw new Error('DER: no signatureAlgorithm');
  const [oidTlv, params] = children(der, algId);
  const oid = oidString(der, oidTlv);
  if (oid === RSA_PSS) {
    // RSASSA-PSS-params: hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1 (RFC 4055)
    let hash = 'sha1';
    const hashField = params && params.tag === 0x30 ? children(der, params).find((c) => c.tag === 0xa0) : undefined;
    if (hashField) {
      const inner = children(der, hashField)[0];
      const h = oidString(der, children(der, inner)[0]);
      hash = HASHES[h] ?? 'unknown';
    }
    return { oid, name: `rsassa-pss(${hash})`, hash };
  }
  const known = SIG_ALGS[oid];
  return { oid, name: known?.[0] ?? oid, hash: known?.[1] ?? 'unknown' };
}
