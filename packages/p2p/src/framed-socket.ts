import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { NORMAL_CLOSE, TransportError } from './errors.js';
import { encodeFrame, FrameDecoder, type Frame } from './frames.js';
import { HANDSHAKE_MAX_FRAME_BYTES, type TransportLimits } from './limits.js';
import type { TransportLogger } from './logger.js';
import type { TransportMetrics } from './metrics.js';

/** Why and by whom a connection ended. `code` is NORMAL for an orderly close. */
export interface CloseInfo {
  readonly code: string;
  readonly message: string;
  readonly initiator: 'local' | 'remote';
}

export interface SocketContext {
  readonly limits: TransportLimits;
  readonly metrics: TransportMetrics;
  readonly logger: TransportLogger;
}

/** Frames handed to `send`: data frames are refused when the queue is full, control frames are not. */
export type FrameKind = 'data' | 'control';

/**
 * A TLS socket seen as a stream of frames, with a bounded send queue. It owns the socket's end
 * of life: the first reason to close (ours, the remote's CLOSE frame, or a lost socket) is the
 * one recorded, logged and counted; everything after it is ignored.
 */
export class FramedSocket {
  readonly remoteAddress: string;
  readonly #socket: TLSSocket;
  readonly #context: SocketContext;
  readonly #decoder = new FrameDecoder(HANDSHAKE_MAX_FRAME_BYTES);
  #receiver: (frame: Frame) => void = () => undefined;
  /** Frames decoded while dispatch is held (during a handshake verdict). */
  #held: Frame[] | undefined;
  /** Frames waiting for the socket to drain; `#head` is the next to write. */
  #queue: (Buffer | undefined)[] = [];
  #head = 0;
  #queuedBytes = 0;
  #refusedSinceDrain = false;
  readonly #drainListeners = new Set<() => void>();
  #closeInfo: CloseInfo | undefined;
  readonly #closeListeners: ((info: CloseInfo) => void)[] = [];
  #lastReceivedAt = performance.now();
  #lastSentAt = performance.now();

  constructor(socket: TLSSocket, context: SocketContext) {
    this.#socket = socket;
    this.#context = context;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => this.#flush());
    socket.on('error', (error: Error) => this.#remoteGone(error.message));
    socket.on('close', () => {
      this.#remoteGone('socket closed without a CLOSE frame');
      for (const listener of this.#closeListeners.splice(0)) listener(this.#closeInfo as CloseInfo);
    });
  }

  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  get lastReceivedAt(): number {
    return this.#lastReceivedAt;
  }

  get lastSentAt(): number {
    return this.#lastSentAt;
  }

  /**
   * True while data frames are welcome: below both queue limits, and not since a refusal until
   * the queue has emptied (so that a caller resuming on drain is not refused again at once).
   */
  get writable(): boolean {
    const { maxQueuedFrames, maxQueuedBytes } = this.#context.limits;
    return this.#closeInfo === undefined && !this.#refusedSinceDrain && this.#queuedFrames() < maxQueuedFrames && this.#queuedBytes < maxQueuedBytes;
  }

  /** True once nothing waits in the queue (the socket's own buffer may still hold bytes). */
  get flushed(): boolean {
    return this.#queuedFrames() === 0;
  }

  setReceiver(receiver: (frame: Frame) => void): void {
    this.#receiver = receiver;
  }

  /** Raises the frame limit from the handshake's to the connection's. */
  openFrameLimit(): void {
    this.#decoder.maxFrameBytes = this.#context.limits.maxFrameBytes;
  }

  /** Stops dispatching frames (they are kept, in order) until `release`. */
  hold(): void {
    this.#held ??= [];
    this.#socket.pause();
  }

  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const frame of held) {
      if (this.#closeInfo !== undefined) return;
      this.#dispatch(frame);
    }
    if (this.#closeInfo === undefined) this.#socket.resume();
  }

  /** Called once the socket is closed, with the recorded reason (at once if already closed). */
  onClose(listener: (info: CloseInfo) => void): void {
    if (this.#socket.closed && this.#closeInfo !== undefined) listener(this.#closeInfo);
    else this.#closeListeners.push(listener);
  }

  /** Called each time the queue empties; returns a function that unsubscribes. */
  onDrain(listener: () => void): () => void {
    this.#drainListeners.add(listener);
    return () => this.#drainListeners.delete(listener);
  }

  /**
   * Queues a frame. A data frame is refused (false) when it would pass the queue's limits, and
   * every data frame after it until the queue has emptied (see `writable`); a control
   * frame (response, error, heartbeat) always goes in, unless the queue has grown to twice its
   * byte limit, which means the remote has stopped reading: the connection is then closed.
   */
  send(frame: Frame, kind: FrameKind): boolean {
    if (this.#closeInfo !== undefined) return false;
    const bytes = encodeFrame(frame);
    if (this.#queuedFrames() === 0 && !this.#socket.writableNeedDrain) {
      this.#write(bytes);
      return true;
    }
    const { maxQueuedFrames, maxQueuedBytes } = this.#context.limits;
    if (kind === 'data' && (!this.writable || this.#queuedFrames() >= maxQueuedFrames || this.#queuedBytes + bytes.length > maxQueuedBytes)) {
      this.#refusedSinceDrain = true;
      return false;
    }
    if (kind === 'control' && this.#queuedBytes + bytes.length > 2 * maxQueuedBytes) {
      this.fail(new TransportError('QUEUE_FULL', 'the remote does not read its responses'));
      return false;
    }
    this.#queue.push(bytes);
    this.#queuedBytes += bytes.length;
    return true;
  }

  /** Closes because of `error` (logged as a warning), telling the remote why in a CLOSE frame. */
  fail(error: TransportError): void {
    this.#closeLocally(error.code, error.message);
  }

  /**
   * Closes in order: every queued frame is still written, then the CLOSE frame. Callers first
   * wait for outstanding requests (see Connection.close).
   */
  finish(message: string): void {
    if (this.#closeInfo !== undefined) return;
    while (this.#head < this.#queue.length) {
      const bytes = this.#queue[this.#head] as Buffer;
      this.#head += 1;
      this.#queuedBytes -= bytes.length;
      this.#write(bytes);
    }
    this.#closeLocally(NORMAL_CLOSE, message);
  }

  #queuedFrames(): number {
    return this.#queue.length - this.#head;
  }

  #write(bytes: Buffer): void {
    this.#socket.write(bytes);
    this.#context.metrics.framesOut += 1;
    this.#context.metrics.bytesOut += bytes.length;
    this.#lastSentAt = performance.now();
  }

  #flush(): void {
    while (this.#head < this.#queue.length && !this.#socket.writableNeedDrain) {
      const bytes = this.#queue[this.#head] as Buffer;
      this.#queue[this.#head] = undefined;
      this.#head += 1;
      this.#queuedBytes -= bytes.length;
      this.#write(bytes);
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      this.#refusedSinceDrain = false;
      if (this.#closeInfo === undefined) for (const listener of [...this.#drainListeners]) listener();
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#closeInfo !== undefined) return;
    this.#lastReceivedAt = performance.now();
    this.#context.metrics.bytesIn += chunk.length;
    try {
      this.#decoder.push(chunk, (frame) => {
        if (this.#closeInfo !== undefined) return;
        this.#context.metrics.framesIn += 1;
        if (this.#held !== undefined) this.#held.push(frame);
        else this.#dispatch(frame);
      });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      this.fail(error);
    }
  }

  #dispatch(frame: Frame): void {
    if (frame.type === 'CLOSE') this.#closeRemotely(frame.code, frame.message);
    else this.#receiver(frame);
  }

  #record(info: CloseInfo): void {
    this.#closeInfo = info;
    const dropped = this.#queuedFrames();
    for (let n = 0; n < dropped; n++) this.#context.metrics.drop('CLOSED');
    this.#queue = [];
    this.#head = 0;
    this.#queuedBytes = 0;
    this.#context.metrics.closed(info.initiator, info.code);
    const fields = { remote: this.remoteAddress, code: info.code, initiator: info.initiator, reason: info.message };
    if (info.code === NORMAL_CLOSE) this.#context.logger.info('connection closed', fields);
    else this.#context.logger.warn('connection closed', fields);
  }

  #closeLocally(code: string, message: string): void {
    if (this.#closeInfo !== undefined) return;
    this.#record({ code, message, initiator: 'local' });
    if (!this.#socket.destroyed && this.#socket.writable) this.#write(encodeFrame({ type: 'CLOSE', code, message }));
    this.#endSocket();
  }

  #closeRemotely(code: string, message: string): void {
    if (this.#closeInfo !== undefined) return;
    this.#record({ code, message, initiator: 'remote' });
    this.#endSocket();
  }

  #remoteGone(message: string): void {
    if (this.#closeInfo !== undefined) return;
    this.#record({ code: 'CONNECTION_LOST', message, initiator: 'remote' });
    this.#socket.destroy();
  }

  /** Half-closes, then destroys the socket if the remote has not closed its side in time. */
  #endSocket(): void {
    this.#socket.resume();
    this.#socket.end();
    const timer = setTimeout(() => this.#socket.destroy(), this.#context.limits.closeTimeoutMs);
    timer.unref();
    this.#socket.once('close', () => clearTimeout(timer));
  }
}
