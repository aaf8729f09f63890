// A probe that cannot gather its facts says why, in the vocabulary of finding reasons.
import type { Reason } from '../report/finding.ts';

export class ProbeError extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
    readonly target: string,
  ) {
    super(message);
  }
}

/** Maps a low-level network error (undici, node:net, kafkajs) to a reason and a readable sentence. */
export function classifyNetworkError(e: unknown, target: string): ProbeError {
  if (e instanceof ProbeError) return e;
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const text = err.cause?.message ?? err.message ?? String(e);
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT' || /timed? ?out/i.test(text))
    return new ProbeError('timeout', `${target} did not answer in time`, target);
  if (code === 'ECONNREFUSED') return new ProbeError('connect', `${target} refused the connection`, target);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ProbeError('dns', `${target}: host name does not resolve`, target);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new ProbeError('connect', `${target} closed the connection`, target);
  return new ProbeError('unreachable', `${target}: ${text}`, target);
}
