import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * How a link treats traffic:
 * - `pass` forwards every byte;
 * - `delay` forwards every byte `ms` later, in order;
 * - `drop` is a partition: nothing crosses in either direction, new connections are accepted but
 *   never reach the target (as if the network swallowed the packets), and bytes sent are lost.
 *   Leaving `drop` resets every connection that lost bytes, since its stream can no longer be
 *   whole; the endpoints reconnect as they would after a real partition timed their links out.
 */
export type LinkMode = { readonly kind: 'pass' } | { readonly kind: 'drop' } | { readonly kind: 'delay'; readonly ms: number };

export const PASS: LinkMode = { kind: 'pass' };
export const DROP: LinkMode = { kind: 'drop' };
export function delay(ms: number): LinkMode {
  return { kind: 'delay', ms };
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface LinkStats {
  readonly connectionsAccepted: number;
  readonly bytesForwarded: number;
  readonly bytesDropped: number;
}

/** Bytes a direction may hold (delayed or waiting for the receiver) before it stops reading. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/** One direction of one connection: a FIFO of chunks, each released at its due time. */
class Direction {
  private readonly queue: { readonly chunk: Buffer; readonly due: number }[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket | undefined,
    private readonly link: LinkProxy,
    private readonly onLoss: () => void,
  ) {
    from.on('data', (chunk: Buffer) => this.accept(chunk));
  }

  private accept(chunk: Buffer): void {
    const mode = this.link.mode;
    if (mode.kind === 'drop' || this.to === undefined) {
      this.link.countDropped(chunk.length);
      this.onLoss();
      return;
    }
    this.queue.push({ chunk, due: Date.now() + (mode.kind === 'delay' ? mode.ms : 0) });
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > HIGH_WATER_BYTES) this.from.pause();
    this.pump();
  }

  /** Writes every chunk that is due, in order; re-arms for the next one. */
  private pump(): void {
    if (this.timer !== undefined || this.waitingForDrain || this.to === undefined) return;
    const to = this.to;
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) break;
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      this.queuedBytes -= head.chunk.length;
      if (this.link.mode.kind === 'drop') {
        // The partition began while the chunk was in flight: it is lost like the rest.
        this.link.countDropped(head.chunk.length);
        this.onLoss();
        continue;
      }
      this.link.countForwarded(head.chunk.length);
      if (!to.write(head.chunk)) {
        this.waitingForDrain = true;
        to.once('drain', () => {
          this.waitingForDrain = false;
          this.pump();
        });
        return;
      }
    }
    if (this.queuedBytes <= HIGH_WATER_BYTES) this.from.resume();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

/** A TCP connection through the proxy: the accepted socket and, unless partitioned at accept, the target's. */
class ProxiedConnection {
  /** Bytes were lost on this connection: it must be reset when the partition heals. */
  lostBytes = false;
  private readonly directions: Direction[];

  constructor(
    readonly client: Socket,
    readonly upstream: Socket | undefined,
    link: LinkProxy,
    private readonly onClosed: (connection: ProxiedConnection) => void,
  ) {
    const lose = (): void => {
      this.lostBytes = true;
    };
    this.directions = [new Direction(client, upstream, link, lose)];
    if (upstream !== undefined) this.directions.push(new Direction(upstream, client, link, lose));
    for (const socket of [client, upstream]) {
      socket?.on('error', () => this.destroy());
      socket?.on('close', () => this.destroy());
    }
  }

  destroy(): void {
    for (const direction of this.directions) direction.dispose();
    this.client.destroy();
    this.upstream?.destroy();
    this.onClosed(this);
  }
}

/**
 * A TCP forwarder for one directed link (e.g. peer1 dialling peer2): whoever connects to
 * `port` reaches `target`, subject to the link's mode, which can change at any time.
 */
export class LinkProxy {
  private modeNow: LinkMode = PASS;
  private readonly open = new Set<ProxiedConnection>();
  private stats = { connectionsAccepted: 0, bytesForwarded: 0, bytesDropped: 0 };

  private constructor(
    private readonly server: Server,
    readonly target: Endpoint,
    readonly port: number,
  ) {}

  /** Listens on an ephemeral loopback port. */
  static async open(target: Endpoint): Promise<LinkProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new LinkProxy(server, target, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  get mode(): LinkMode {
    return this.modeNow;
  }

  setMode(mode: LinkMode): void {
    const healing = this.modeNow.kind === 'drop' && mode.kind !== 'drop';
    this.modeNow = mode;
    if (!healing) return;
    for (const connection of [...this.open]) if (connection.lostBytes || connection.upstream === undefined) connection.destroy();
  }

  get connections(): number {
    return this.open.size;
  }

  get statistics(): LinkStats {
    return { ...this.stats };
  }

  countForwarded(bytes: number): void {
    this.stats.bytesForwarded += bytes;
  }

  countDropped(bytes: number): void {
    this.stats.bytesDropped += bytes;
  }

  private accept(client: Socket): void {
    this.stats.connectionsAccepted += 1;
    client.setNoDelay(true);
    // A partitioned link never reaches the target: the dialler sees a connection that stays silent.
    const upstream = this.modeNow.kind === 'drop' ? undefined : connect({ host: this.target.host, port: this.target.port, noDelay: true });
    this.open.add(new ProxiedConnection(client, upstream, this, (closed) => this.open.delete(closed)));
  }

  async close(): Promise<void> {
    for (const connection of [...this.open]) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
