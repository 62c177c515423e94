import type { HashDigest } from '@jadechain/crypto';
import { SdkError } from './errors.js';
import {
  SubscriptionError,
  after,
  eventOf,
  isDue,
  positionOf,
  type ChainEvent,
  type EventRequest,
  type EventsClientOptions,
  type Subscription,
  type WebSocketConstructor,
  type WebSocketLike,
} from './events.js';

type Handler = (event: ChainEvent) => void | Promise<void>;

interface Stream {
  readonly id: string;
  readonly request: EventRequest;
  readonly handler: Handler;
  readonly onError: ((error: SubscriptionError) => void) | undefined;
  /** Position fields of the next event due (as in a subscribe message); undefined until known. */
  next: Readonly<Record<string, number>> | undefined;
  /** Handlers run one after another, across reconnections. */
  delivery: Promise<void>;
}

const OPEN = 1;

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One WebSocket to a gateway for one ledger, carrying any number of subscriptions, reopened
 * after every drop (a gateway restart, a SLOW_CONSUMER close) until `close()`.
 */
export class EventsClient {
  readonly url: string;
  readonly #webSocket: WebSocketConstructor;
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #onError: ((error: Error) => void) | undefined;
  readonly #streams = new Map<string, Stream>();
  #socket: WebSocketLike | undefined;
  #failures = 0;
  #reconnect: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #counter = 0;

  /** `baseUrl` is the gateway's HTTP address, e.g. `http://127.0.0.1:8080`. */
  constructor(baseUrl: string, ledger: HashDigest | string, options: EventsClientOptions = {}) {
    const base = baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws');
    this.url = `${base}/ledgers/${typeof ledger === 'string' ? ledger : ledger.toBase58()}/events/ws`;
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const webSocket = options.webSocket ?? global;
    if (webSocket === undefined) throw new SdkError('BAD_ARGUMENT', 'no global WebSocket here: pass options.webSocket (e.g. the ws package\'s WebSocket)');
    this.#webSocket = webSocket;
    this.#initialMs = options.backoff?.initialMs ?? 100;
    this.#maxMs = options.backoff?.maxMs ?? 5_000;
    this.#onError = options.onError;
  }

  /**
   * Calls `handler` with each event of the stream, once and in order; an async handler is awaited
   * before the next event. Without a starting position the stream starts after what is committed
   * now. `onError` hears why the gateway ended the subscription (bad request, unknown ledger).
   */
  subscribe(request: EventRequest, handler: Handler, onError?: (error: SubscriptionError) => void): Subscription {
    if (this.#closed) throw new SdkError('BAD_ARGUMENT', 'the events client is closed');
    const stream: Stream = { id: `s${++this.#counter}`, request, handler, onError, next: positionOf(request), delivery: Promise.resolve() };
    this.#streams.set(stream.id, stream);
    if (this.#socket?.readyState === OPEN) this.#subscribe(this.#socket, stream);
    else if (this.#socket === undefined && this.#reconnect === undefined) this.#connect();
    return {
      id: stream.id,
      get resumeFrom() {
        return stream.next;
      },
      unsubscribe: () => {
        if (!this.#streams.delete(stream.id)) return;
        if (this.#socket?.readyState === OPEN) this.#socket.send(JSON.stringify({ type: 'unsubscribe', id: stream.id }));
      },
    };
  }

  /** Ends every subscription and the connection; no reconnection follows. */
  close(): void {
    this.#closed = true;
    this.#streams.clear();
    if (this.#reconnect !== undefined) clearTimeout(this.#reconnect);
    this.#socket?.close(1000, 'CLIENT_CLOSING');
    this.#socket = undefined;
  }

  #connect(): void {
    this.#reconnect = undefined;
    if (this.#closed || this.#streams.size === 0) return;
    const socket = new this.#webSocket(this.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#failures = 0;
      for (const stream of this.#streams.values()) this.#subscribe(socket, stream);
    });
    socket.addEventListener('message', (event) => {
      const data = 'data' in event ? event.data : undefined;
      if (typeof data === 'string') this.#received(data);
    });
    // A failed connection is followed by its close event, which schedules the next attempt.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#closed) return;
      const delay = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#failures);
      this.#failures += 1;
      this.#reconnect = setTimeout(() => this.#connect(), delay);
    });
  }

  #subscribe(socket: WebSocketLike, stream: Stream): void {
    const { request, next } = stream;
    const origin = request.kind === 'userEvents' ? { account: request.account, topic: request.topic } : {};
    socket.send(JSON.stringify({ type: 'subscribe', id: stream.id, kind: request.kind, ...origin, ...(next ?? {}) }));
  }

  #received(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return this.#onError?.(new SdkError('BAD_RESPONSE', `the gateway sent a frame that is not JSON: ${text.slice(0, 100)}`));
    }
    if (!isObject(frame)) return;
    const id = typeof frame['id'] === 'string' ? frame['id'] : undefined;
    const stream = id === undefined ? undefined : this.#streams.get(id);
    switch (frame['type']) {
      case 'subscribed':
        // A stream asked to start "now" learns its position here, so a drop before its first event loses nothing.
        if (stream !== undefined && stream.next === undefined) stream.next = positionOf({ ...stream.request, ...frame } as EventRequest);
        return;
      case 'event':
        if (stream !== undefined) this.#deliver(stream, frame);
        return;
      case 'error':
        return this.#failed(stream, frame);
      default:
        return;
    }
  }

  #deliver(stream: Stream, frame: Readonly<Record<string, unknown>>): void {
    const event = eventOf(stream.request.kind, frame);
    if (event === undefined) return this.#onError?.(new SdkError('BAD_RESPONSE', `an event frame of ${stream.id} carries no position`));
    // Anything before the position due was delivered on an earlier connection.
    if (!isDue(event, stream.next)) return;
    stream.next = after(event);
    stream.delivery = stream.delivery.then(
      () => stream.handler(event),
    ).catch((error: unknown) => this.#onError?.(error instanceof Error ? error : new Error(String(error))));
  }

  #failed(stream: Stream | undefined, frame: Readonly<Record<string, unknown>>): void {
    const code = typeof frame['code'] === 'string' ? frame['code'] : 'UNKNOWN';
    const message = typeof frame['message'] === 'string' ? frame['message'] : 'the gateway reported an error';
    const error = new SubscriptionError(code, message, stream?.id);
    if (stream === undefined) return this.#onError?.(error);
    this.#streams.delete(stream.id);
    if (stream.onError !== undefined) stream.onError(error);
    else this.#onError?.(error);
  }
}
