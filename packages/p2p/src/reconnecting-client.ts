import { backoffDelay, resolveBackoff, type BackoffPolicy } from './backoff.js';
import { dial, type ConnectOptions } from './client.js';
import type { Connection, RequestOptions } from './connection.js';
import { endpointContext, type EndpointContext } from './endpoint.js';
import { TransportError } from './errors.js';
import type { CloseInfo } from './framed-socket.js';
import type { TransportMetrics } from './metrics.js';

export interface ReconnectingClientOptions extends ConnectOptions {
  readonly backoff?: Partial<BackoffPolicy>;
  /** Random source in [0, 1) for the jitter; inject a seeded one for reproducible schedules. */
  readonly random?: () => number;
  readonly onConnect?: (connection: Connection) => void;
  readonly onDisconnect?: (info: CloseInfo) => void;
  /** Called before each wait: the retry number (from 0), its delay and the failure that caused it. */
  readonly onRetry?: (attempt: number, delayMs: number, reason: TransportError) => void;
}

/**
 * Keeps one connection to one remote open: dials, and after every failure or loss waits with
 * exponential backoff and jitter before dialling again. The retry count starts over once a
 * connection opens. Sends while no connection is open fail with NOT_CONNECTED, so callers (a
 * gateway choosing among peers) can go elsewhere instead of queueing blindly.
 */
export class ReconnectingClient {
  readonly metrics: TransportMetrics;
  readonly #options: ReconnectingClientOptions;
  readonly #context: EndpointContext;
  readonly #backoff: BackoffPolicy;
  #connection: Connection | undefined;
  #stopped = false;
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #waiters: { resolve: (connection: Connection) => void; reject: (error: TransportError) => void }[] = [];

  constructor(options: ReconnectingClientOptions) {
    this.#options = options;
    this.#context = endpointContext(options);
    this.#backoff = resolveBackoff(options.backoff);
    this.metrics = this.#context.metrics;
  }

  /** Starts dialling (once; later calls do nothing). */
  start(): this {
    this.#running ??= this.#run();
    return this;
  }

  /** The open connection, if any. */
  get connection(): Connection | undefined {
    return this.#connection?.isOpen === true ? this.#connection : undefined;
  }

  /** Resolves with the open connection, now or once one opens; rejects CLOSED after close(). */
  connected(): Promise<Connection> {
    const open = this.connection;
    if (open !== undefined) return Promise.resolve(open);
    if (this.#stopped) return Promise.reject(new TransportError('CLOSED', 'client closed'));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Connection.send on the open connection; throws NOT_CONNECTED when there is none. */
  send(channel: number, body: Uint8Array): boolean {
    return this.#open().send(channel, body);
  }

  /** Connection.request on the open connection; rejects NOT_CONNECTED when there is none. */
  request(channel: number, body: Uint8Array, options?: RequestOptions): Promise<Uint8Array> {
    try {
      return this.#open().request(channel, body, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Stops reconnecting and closes the connection in order. */
  async close(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new TransportError('CLOSED', 'client closed'));
    await this.#connection?.close('client closing');
    await this.#running;
  }

  #open(): Connection {
    const open = this.connection;
    if (open === undefined) throw new TransportError('NOT_CONNECTED', `not connected to ${this.#options.host}:${this.#options.port}`);
    return open;
  }

  async #run(): Promise<void> {
    let attempt = 0;
    let dials = 0;
    while (!this.#stopped) {
      let reason: TransportError;
      if (dials > 0) this.metrics.reconnectAttempts += 1;
      dials += 1;
      try {
        const connection = await dial(this.#options.host, this.#options.port, this.#context, this.#options.expectedIdentity);
        if (this.#stopped) {
          await connection.close('client closing');
          return;
        }
        attempt = 0;
        this.#connection = connection;
        for (const waiter of this.#waiters.splice(0)) waiter.resolve(connection);
        this.#options.onConnect?.(connection);
        const info = await connection.closed;
        this.#connection = undefined;
        this.#options.onDisconnect?.(info);
        reason = new TransportError(info.initiator === 'remote' ? 'CONNECTION_LOST' : 'CLOSED', `${info.code}: ${info.message}`, info.code);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        reason = error;
      }
      if (this.#stopped) return;
      const delay = backoffDelay(attempt, this.#backoff, this.#options.random ?? Math.random);
      this.#options.onRetry?.(attempt, delay, reason);
      attempt += 1;
      await this.#sleep(delay);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
