import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Connection } from './connection.js';
import { endpointContext, type EndpointContext, type EndpointOptions } from './endpoint.js';
import { TransportError } from './errors.js';
import { FramedSocket } from './framed-socket.js';
import { authenticate } from './handshake.js';
import type { TransportMetrics } from './metrics.js';

export interface ServerOptions extends EndpointOptions {
  /** Called for each connection that passed the handshake. */
  readonly onConnection?: (connection: Connection) => void;
  /** TCP connections accepted at once, authenticated or not (default 1024). */
  readonly maxConnections?: number;
}

/** Accepts authenticated connections from allowed nodes on one TCP port. */
export class TransportServer {
  readonly metrics: TransportMetrics;
  readonly #context: EndpointContext;
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  /** Sockets still in their handshake, destroyed if the server closes meanwhile. */
  readonly #handshaking = new Set<TLSSocket>();
  #closing = false;

  constructor(options: ServerOptions) {
    this.#context = endpointContext(options);
    this.metrics = this.#context.metrics;
    const context = this.#context;
    this.#server = createServer({ ...context.tls, requestCert: true, handshakeTimeout: context.limits.handshakeTimeoutMs });
    this.#server.maxConnections = options.maxConnections ?? 1024;
    this.#server.on('tlsClientError', (error: Error & { code?: string }, socket: TLSSocket) => {
      context.metrics.handshakesFailed += 1;
      context.metrics.closed('local', 'TLS_ERROR');
      context.logger.warn('connection closed', {
        remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
        code: 'TLS_ERROR',
        initiator: 'local',
        reason: error.code ?? error.message,
      });
    });
    this.#server.on('secureConnection', (socket: TLSSocket) => this.#accept(socket, options.onConnection));
  }

  /** Starts listening; port 0 picks a free port. Resolves with the address bound. */
  listen(port = 0, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => reject(new TransportError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error.message}`));
      this.#server.once('error', failed);
      this.#server.listen(port, host, () => {
        this.#server.off('error', failed);
        const address = this.#server.address() as AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** The open connections, in the order they opened. */
  get connections(): readonly Connection[] {
    return [...this.#connections];
  }

  /** Stops accepting, closes every connection in order, and resolves when all sockets are gone. */
  async close(): Promise<void> {
    this.#closing = true;
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#handshaking) socket.destroy();
    await Promise.all([...this.#connections].map((connection) => connection.close('server shutting down')));
    await stopped;
  }

  #accept(socket: TLSSocket, onConnection: ((connection: Connection) => void) | undefined): void {
    this.#handshaking.add(socket);
    const framed = new FramedSocket(socket, this.#context);
    authenticate(socket, framed, 'server', this.#context).then(
      (peer) => {
        this.#handshaking.delete(socket);
        const connection = new Connection(framed, peer, this.#context.router, this.#context);
        if (this.#closing) {
          void connection.close('server shutting down');
          return;
        }
        this.#connections.add(connection);
        void connection.closed.then(() => this.#connections.delete(connection));
        onConnection?.(connection);
      },
      // Already logged, counted and told to the remote by the handshake.
      () => this.#handshaking.delete(socket),
    );
  }
}
