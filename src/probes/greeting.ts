// The smallest protocol round trip a service owes an open connection: a Kafka ApiVersions request, or an
// HTTP request (over TLS for an ingress). A port that accepts connections proves only that the kernel is
// listening; a frozen broker still accepts them. Each call ends by its deadline and never throws: it answers
// undefined when the service answered, or why not, in words.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export type Greeting = { kind: 'kafka' } | { kind: 'http'; tls: boolean; host: string; path: string };

/** ApiVersions v0 (api key 18): size, key, version, correlation id, client id; an empty body. */
function apiVersionsRequest(correlationId: number): Buffer {
  const client = Buffer.from('efd-health-preflight');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(client.length, 8);
  client.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function httpRequest(host: string, path: string): Buffer {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: efd-health-preflight\r\nConnection: close\r\n\r\n`);
}

function socketError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return 'host name does not resolve';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return 'no route to host';
    case 'ECONNRESET': return 'connection reset';
    default: return e.code ?? e.message;
  }
}

export interface NoAnswer {
  /** a connection was open (TLS done, for TLS) before it went wrong: the service is there but does not answer */
  connected: boolean;
  why: string;
}

/** Undefined when the service at host:port answered the greeting within the deadline, else why not. */
export function greet(host: string, port: number, how: Greeting, deadlineMs: number): Promise<NoAnswer | undefined> {
  return new Promise((done) => {
    const correlationId = 0x45464448; // "EFDH"
    let connected = false;
    let received = Buffer.alloc(0);
    const socket: Socket =
      how.kind === 'http' && how.tls
        ? // the ingress's certificate is the ingress suite's subject, not a prerequisite
          tlsConnect({ host, port, servername: how.host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
        : tcpConnect({ host, port });
    const finish = (why?: string) => {
      clearTimeout(timer);
      socket.destroy();
      done(why === undefined ? undefined : { connected, why });
    };
    const what = how.kind === 'kafka' ? 'a Kafka ApiVersions request' : `an HTTP${how.kind === 'http' && how.tls ? 'S' : ''} request`;
    const timer = setTimeout(
      () => finish(connected ? `accepted the connection but did not answer ${what} within ${deadlineMs} ms` : `no connection within ${deadlineMs} ms`),
      deadlineMs,
    );
    socket.once(how.kind === 'http' && how.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket.write(how.kind === 'kafka' ? apiVersionsRequest(correlationId) : httpRequest(how.host, how.path));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (how.kind === 'kafka') {
        if (received.length < 8) return;
        finish(received.readInt32BE(4) === correlationId ? undefined : 'answered, but not as a Kafka broker does (ApiVersions)');
      } else if (received.length >= 5) {
        finish(received.subarray(0, 5).toString('latin1') === 'HTTP/' ? undefined : 'answered, but not in HTTP');
      }
    });
    socket.once('end', () => finish(connected ? `closed the connection without answering ${what}` : 'closed the connection'));
    socket.once('error', (e: NodeJS.ErrnoException) => finish(connected || e.code !== undefined ? socketError(e) : e.message));
  });
}
