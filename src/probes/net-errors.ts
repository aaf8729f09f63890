// How the ingress probes (dns, tls, http) say that it could not gather a fact: a kind that maps onto a finding reason, the
// system's own code and one sentence. Probes return these; they never throw for a network failure.

export type NetErrorKind = 'dns' | 'timeout' | 'refused' | 'connect' | 'tls_handshake' | 'http';

export interface NetError {
  kind: NetErrorKind;
  /** the errno or OpenSSL/undici code, e.g. ECONNREFUSED, ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION */
  code?: string;
  message: string;
}

const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
const CONNECT = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN', 'ENETDOWN', 'EACCES']);
const TIMEOUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR']);

/** Classifies a socket-level error; `stage` says what was under way, for the sentence. */
export function classifyError(e: unknown, stage: string): NetError {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code ?? (err?.name === 'TimeoutError' || err?.name === 'AbortError' ? 'ETIMEDOUT' : undefined);
  const text = firstLine(err?.cause?.message ?? err?.message ?? String(e));
  if (code && TIMEOUT.has(code)) return { kind: 'timeout', code, message: `${stage} timed out` };
  if (code && REFUSED.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : 'connection reset';
    return { kind: 'refused', code, message: `${stage}: ${what}` };
  }
  if (code && CONNECT.has(code)) return { kind: 'connect', code, message: `${stage}: ${text}` };
  if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS') || /SSL|TLS|alert/i.test(text)) {
    return { kind: 'tls_handshake', code, message: `${stage}: ${shortOpenSsl(text)}` };
  }
  return { kind: stage.startsWith('HTTP') ? 'http' : 'connect', code, message: `${stage}: ${text}` };
}

export function timeoutError(stage: string, ms: number): NetError {
  return { kind: 'timeout', code: 'ETIMEDOUT', message: `${stage} timed out after ${ms} ms` };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** "…:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:…" → "tlsv1 alert protocol version" */
function shortOpenSsl(s: string): string {
  const m = /SSL routines:[^:]*:([^:]+)/.exec(s);
  return m ? m[1] : s;
}
