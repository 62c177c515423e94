import type { PubKey } from '@jadechain/crypto';
import { connect as tlsConnect } from 'node:tls';
import { Connection } from './connection.js';
import { endpointContext, type EndpointContext, type EndpointOptions } from './endpoint.js';
import { TransportError } from './errors.js';
import { FramedSocket } from './framed-socket.js';
import { authenticate } from './handshake.js';

export interface ConnectOptions extends EndpointOptions {
  readonly host: string;
  readonly port: number;
  /** The identity expected at that address; any other is refused as UNAUTHORIZED_PEER. */
  readonly expectedIdentity?: PubKey;
}

/** TLS error codes from OpenSSL start with ERR_SSL; the rest are socket-level failures. */
function dialError(error: Error & { code?: string }): TransportError {
  const code = error.code ?? '';
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return new TransportError('TLS_ERROR', `${code}: ${error.message}`);
  return new TransportError('CONNECT_FAILED', error.message);
}

/** One dial with an already resolved context; the reconnecting client reuses one context. */
export function dial(host: string, port: number, context: EndpointContext, expectedIdentity?: PubKey): Promise<Connection> {
  return new Promise<Connection>((resolve, reject) => {
    const socket = tlsConnect({ ...context.tls, host, port });
    const fail = (error: TransportError): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error.code === 'CONNECT_FAILED') {
        context.metrics.dialFailures += 1;
      } else {
        context.metrics.handshakesFailed += 1;
        context.metrics.closed('local', error.code);
      }
      context.logger.warn('dial failed', { remote: `${host}:${port}`, code: error.code, reason: error.message });
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new TransportError('HANDSHAKE_TIMEOUT', `no TLS handshake with ${host}:${port} within ${context.limits.handshakeTimeoutMs} ms`)),
      context.limits.handshakeTimeoutMs,
    );
    const failed = (error: Error & { code?: string }): void => fail(dialError(error));
    socket.once('error', failed);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', failed);
      const framed = new FramedSocket(socket, context);
      authenticate(socket, framed, 'client', { ...context, expectedIdentity }).then(
        (peer) => resolve(new Connection(framed, peer, context.router, context)),
        reject,
      );
    });
  });
}

/** Dials `host:port` once and runs the handshake; resolves with the open connection. */
export function connect(options: ConnectOptions): Promise<Connection> {
  return dial(options.host, options.port, endpointContext(options), options.expectedIdentity);
}
