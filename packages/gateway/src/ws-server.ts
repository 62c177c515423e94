import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { HashDigest } from '@jadechain/crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { GatewayError } from './errors.js';
import { readFeed, startCursor, type PeerQuery } from './ws-feeds.js';
import { EventStreamError, SLOW_CONSUMER_CLOSE, cursorFields, parseClientMessage, type Cursor } from './ws-protocol.js';
import type { EventStreamRequest } from '@jadechain/types';
import { LedgerTips } from './ws-tips.js';

export interface EventSocketOptions {
  /** The gateway's bound on one request to a peer; tip polls stay well within it. */
  readonly peerRequestMs: number;
  /** Bytes queued on a socket above which its streams stop reading until it drains. */
  readonly highWaterBytes?: number;
  /** How long a socket may stay above the high-water mark before it is closed as SLOW_CONSUMER. */
  readonly stallMs?: number;
  readonly maxSubscriptions?: number;
}

const EVENTS_PATH = /^\/ledgers\/([^/?#]+)\/events\/ws(?:\?.*)?$/;
/** Client frames are small control messages. */
const MAX_CLIENT_FRAME_BYTES = 16 * 1024;
const DRAIN_POLL_MS = 25;

interface Limits {
  readonly highWaterBytes: number;
  readonly stallMs: number;
  readonly maxSubscriptions: number;
}

/**
 * Serves `GET /ledgers/{ledger}/events/ws` (docs/api.md §push) on the gateway's HTTP server. The
 * gateway keeps nothing between connections: every stream reads the ledger from its position
 * through a peer, and a client that comes back names the position it wants.
 */
export function registerEventSockets(app: FastifyInstance, query: PeerQuery, options: EventSocketOptions): void {
  const limits: Limits = { highWaterBytes: options.highWaterBytes ?? 1024 * 1024, stallMs: options.stallMs ?? 10_000, maxSubscriptions: options.maxSubscriptions ?? 32 };
  const tips = new LedgerTips(query, options.peerRequestMs);
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const match = EVENTS_PATH.exec(request.url ?? '');
    const ledger = match === null ? undefined : ledgerText(match[1] ?? '');
    if (ledger === undefined) {
      socket.end(`HTTP/1.1 ${match === null ? '404 Not Found' : '400 Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    server.handleUpgrade(request, socket, head, (webSocket) => new Session(webSocket, ledger, query, tips, limits));
  });
  app.addHook('preClose', async () => {
    for (const client of server.clients) client.close(1001, 'GATEWAY_CLOSING');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const client of server.clients) client.terminate();
  });
}

function ledgerText(text: string): string | undefined {
  try {
    return HashDigest.fromBase58(decodeURIComponent(text)).toBase58();
  } catch {
    return undefined;
  }
}

/** One client connection and its streams. */
class Session {
  readonly #streams = new Map<string, Stream>();

  constructor(
    readonly socket: WebSocket,
    readonly ledger: string,
    readonly query: PeerQuery,
    readonly tips: LedgerTips,
    readonly limits: Limits,
  ) {
    socket.on('message', (data: RawData, isBinary: boolean) => this.#received(isBinary ? undefined : rawText(data)));
    socket.on('close', () => {
      for (const stream of this.#streams.values()) stream.stop();
      this.#streams.clear();
    });
    socket.on('error', () => socket.terminate());
  }

  send(frame: Readonly<Record<string, unknown>>): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  fail(error: EventStreamError): void {
    this.send({ type: 'error', id: error.id ?? null, code: error.code, message: error.message });
  }

  /** Waits until the socket has room; false once it is closed, or closed here for not reading. */
  async room(): Promise<boolean> {
    const { highWaterBytes, stallMs } = this.limits;
    const since = Date.now();
    while (this.socket.readyState === this.socket.OPEN && this.socket.bufferedAmount > highWaterBytes) {
      if (Date.now() - since > stallMs) {
        this.socket.close(SLOW_CONSUMER_CLOSE, 'SLOW_CONSUMER');
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    return this.socket.readyState === this.socket.OPEN;
  }

  ended(id: string): void {
    this.#streams.delete(id);
  }

  #received(text: string | undefined): void {
    try {
      if (text === undefined) throw new EventStreamError('MALFORMED_MESSAGE', 'send JSON text frames, not binary ones');
      const message = parseClientMessage(text);
      if (message.type === 'unsubscribe') {
        const stream = this.#streams.get(message.id);
        if (stream === undefined) throw new EventStreamError('UNKNOWN_SUBSCRIPTION', `no subscription ${message.id}`, message.id);
        stream.stop();
        this.#streams.delete(message.id);
        this.send({ type: 'unsubscribed', id: message.id });
        return;
      }
      if (this.#streams.has(message.id)) throw new EventStreamError('DUPLICATE_ID', `subscription ${message.id} exists on this connection`, message.id);
      if (this.#streams.size >= this.limits.maxSubscriptions) {
        throw new EventStreamError('TOO_MANY_SUBSCRIPTIONS', `at most ${this.limits.maxSubscriptions} subscriptions per connection`, message.id);
      }
      const stream = new Stream(this, message.id, message.request);
      this.#streams.set(message.id, stream);
      stream.start();
    } catch (error) {
      if (error instanceof EventStreamError) this.fail(error);
      else throw error;
    }
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

/**
 * One subscription: reads the ledger from its cursor up to the tip, then waits for the tip to
 * move. Only one read runs at a time; a tip change during a read makes it go round again.
 */
class Stream {
  #cursor: Cursor | undefined;
  #running = false;
  #again = false;
  #stopped = false;
  #unlisten: (() => void) | undefined;

  constructor(
    private readonly session: Session,
    private readonly id: string,
    private readonly request: EventStreamRequest,
  ) {}

  start(): void {
    this.#unlisten = this.session.tips.listen(this.session.ledger, () => this.#wake());
    this.#wake();
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
  }

  #wake(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#run().finally(() => (this.#running = false));
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.#drain();
      } catch (error) {
        // A peer that cannot be reached now: the next tip poll wakes the stream again.
        if (error instanceof GatewayError) continue;
        const failure = error instanceof EventStreamError ? error : new EventStreamError('STREAM_FAILED', (error as Error).message);
        this.session.fail(new EventStreamError(failure.code, failure.message, this.id));
        this.stop();
        this.session.ended(this.id);
      }
    } while (this.#again && !this.#stopped);
  }

  async #drain(): Promise<void> {
    const { height: tip, unknown } = this.session.tips.state(this.session.ledger);
    if (unknown !== undefined) throw new EventStreamError('UNKNOWN_LEDGER', unknown);
    if (tip === undefined || this.#stopped) return;
    const { query, ledger } = this.session;
    if (this.#cursor === undefined) {
      this.#cursor = await startCursor(query, ledger, this.request, tip);
      this.session.send({ type: 'subscribed', id: this.id, kind: this.request.kind, ...cursorFields(this.#cursor) });
    }
    for (;;) {
      const page = await readFeed(query, ledger, this.#cursor, tip);
      for (const event of page.events) {
        if (this.#stopped || !(await this.session.room())) return;
        this.session.send({ type: 'event', id: this.id, kind: this.request.kind, ...event.position, data: event.data });
      }
      this.#cursor = page.next;
      if (page.caughtUp || this.#stopped) return;
    }
  }
}
