import { performance } from 'node:perf_hooks';
import { BUSY, HANDLER_FAILED, NO_HANDLER, TransportError, WIRE_CODE_PATTERN } from './errors.js';
import type { CloseInfo, FramedSocket, SocketContext } from './framed-socket.js';
import type { Frame } from './frames.js';
import type { AuthenticatedPeer } from './handshake.js';
import type { Router } from './router.js';

/** Frame overhead before a body: type byte plus the MESSAGE, REQUEST or RESPONSE header. */
const MESSAGE_OVERHEAD = 1 + 2;
const REQUEST_OVERHEAD = 1 + 6;
const RESPONSE_OVERHEAD = 1 + 4;

export interface RequestOptions {
  /** Overrides the connection's requestTimeoutMs. */
  readonly timeoutMs?: number;
}

interface PendingRequest {
  readonly resolve: (body: Uint8Array) => void;
  readonly reject: (error: TransportError) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * An authenticated connection: one-way messages and correlated requests on numbered channels,
 * heartbeats, and an orderly close. It exists only after the handshake succeeded, so `peer` is
 * always the verified identity of the remote.
 */
export class Connection {
  readonly peer: AuthenticatedPeer;
  /** Settles (never rejects) when the connection has closed, saying why. */
  readonly closed: Promise<CloseInfo>;
  readonly #framed: FramedSocket;
  readonly #router: Router;
  readonly #context: SocketContext;
  readonly #pending = new Map<number, PendingRequest>();
  #nextRequestId = 1;
  #incomingRequests = 0;
  #state: 'open' | 'closing' | 'closed' = 'open';
  readonly #heartbeat: NodeJS.Timeout;
  /** Called when the last outstanding request settles while closing. */
  #whenQuiet: (() => void) | undefined;

  constructor(framed: FramedSocket, peer: AuthenticatedPeer, router: Router, context: SocketContext) {
    this.#framed = framed;
    this.peer = peer;
    this.#router = router;
    this.#context = context;
    context.metrics.connectionsOpened += 1;
    context.metrics.connectionsActive += 1;
    context.logger.info('connection open', { remote: peer.remoteAddress, identity: peer.identityKey.toBase58(), role: peer.role });
    // Ticking at half the period sends a heartbeat at most 1.5 periods after the last frame.
    this.#heartbeat = setInterval(() => this.#tick(), Math.max(1, Math.floor(context.limits.heartbeatMs / 2)));
    this.#heartbeat.unref();
    this.closed = new Promise((resolve) => framed.onClose((info) => {
      this.#onClosed(info);
      resolve(info);
    }));
    framed.setReceiver((frame) => this.#receive(frame));
    framed.release();
  }

  /** True until close() is called or the connection ends. */
  get isOpen(): boolean {
    return this.#state === 'open' && this.#framed.closeInfo === undefined;
  }

  /** True while a send would be accepted (the queue has room). */
  get writable(): boolean {
    return this.isOpen && this.#framed.writable;
  }

  /**
   * Sends a one-way message. Returns false, and counts a QUEUE_FULL drop, when the send queue is
   * full: wait for `drained()` and send again. Throws CLOSED when the connection is not open and
   * FRAME_TOO_LARGE when the body cannot fit one frame.
   */
  send(channel: number, body: Uint8Array): boolean {
    this.#checkSendable(body, MESSAGE_OVERHEAD);
    if (this.#framed.send({ type: 'MESSAGE', channel, body }, 'data')) return true;
    this.#context.metrics.drop('QUEUE_FULL');
    return false;
  }

  /**
   * Sends a request and resolves with the response body. Rejects with QUEUE_FULL (queue or
   * outstanding requests at their limit), TIMEOUT, REMOTE_ERROR (the remote's handler failed;
   * `remoteCode` says how), CLOSED or FRAME_TOO_LARGE.
   */
  request(channel: number, body: Uint8Array, options: RequestOptions = {}): Promise<Uint8Array> {
    try {
      this.#checkSendable(body, REQUEST_OVERHEAD);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (this.#pending.size >= this.#context.limits.maxPendingRequests) return this.#refuse('outstanding requests are at their limit');
    const id = this.#allocateRequestId();
    if (!this.#framed.send({ type: 'REQUEST', id, channel, body }, 'data')) return this.#refuse('send queue is full');
    const timeoutMs = options.timeoutMs ?? this.#context.limits.requestTimeoutMs;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(id);
        this.#context.metrics.drop('TIMEOUT');
        reject(new TransportError('TIMEOUT', `no response on channel ${channel} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
    });
  }

  /** Resolves once the send queue has emptied after a refused send; rejects CLOSED if it closes first. */
  drained(): Promise<void> {
    if (this.writable) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const stop = this.#framed.onDrain(() => {
        stop();
        resolve();
      });
      void this.closed.then(() => {
        stop();
        reject(new TransportError('CLOSED', 'connection closed while waiting for the queue to drain'));
      });
    });
  }

  /**
   * Closes in order: no new sends, outstanding requests (both ways) get up to closeTimeoutMs to
   * finish, queued frames are written, then a CLOSE frame tells the remote.
   */
  async close(message = 'closed by this node'): Promise<CloseInfo> {
    if (this.#state === 'open' && this.#framed.closeInfo === undefined) {
      this.#state = 'closing';
      await this.#quiet();
      this.#framed.finish(message);
    }
    return this.closed;
  }

  #checkSendable(body: Uint8Array, overhead: number): void {
    if (!this.isOpen) throw new TransportError('CLOSED', 'connection is not open');
    if (overhead + body.length > this.#context.limits.maxFrameBytes) {
      throw new TransportError('FRAME_TOO_LARGE', `body of ${body.length} bytes does not fit a frame of ${this.#context.limits.maxFrameBytes}`);
    }
  }

  #refuse(reason: string): Promise<never> {
    this.#context.metrics.drop('QUEUE_FULL');
    return Promise.reject(new TransportError('QUEUE_FULL', reason));
  }

  #allocateRequestId(): number {
    let id = this.#nextRequestId;
    while (this.#pending.has(id)) id = (id + 1) >>> 0;
    this.#nextRequestId = (id + 1) >>> 0;
    return id;
  }

  #settle(id: number): PendingRequest | undefined {
    const pending = this.#pending.get(id);
    if (pending === undefined) return undefined;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    this.#checkQuiet();
    return pending;
  }

  #quiet(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.#context.limits.closeTimeoutMs);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#whenQuiet = done;
      this.#checkQuiet();
    });
  }

  #checkQuiet(): void {
    if (this.#whenQuiet !== undefined && this.#pending.size === 0 && this.#incomingRequests === 0) this.#whenQuiet();
  }

  #tick(): void {
    const now = performance.now();
    const { heartbeatMs, idleTimeoutMs } = this.#context.limits;
    if (now - this.#framed.lastReceivedAt >= idleTimeoutMs) {
      this.#framed.fail(new TransportError('IDLE_TIMEOUT', `nothing received for ${idleTimeoutMs} ms`));
    } else if (now - this.#framed.lastSentAt >= heartbeatMs) {
      this.#framed.send({ type: 'HEARTBEAT' }, 'control');
    }
  }

  #receive(frame: Frame): void {
    switch (frame.type) {
      case 'MESSAGE':
        this.#deliverMessage(frame.channel, frame.body);
        return;
      case 'REQUEST':
        this.#serveRequest(frame.id, frame.channel, frame.body);
        return;
      case 'RESPONSE':
        this.#settleResponse(frame.id)?.resolve(frame.body);
        return;
      case 'ERROR':
        this.#settleResponse(frame.id)?.reject(new TransportError('REMOTE_ERROR', `${frame.code}: ${frame.message}`, frame.code));
        return;
      case 'HEARTBEAT':
        return;
      case 'HELLO':
        this.#framed.fail(new TransportError('PROTOCOL_VIOLATION', 'HELLO on an open connection'));
        return;
    }
  }

  #settleResponse(id: number): PendingRequest | undefined {
    const pending = this.#settle(id);
    if (pending === undefined) this.#context.metrics.drop('LATE_RESPONSE');
    return pending;
  }

  #deliverMessage(channel: number, body: Uint8Array): void {
    const handler = this.#router.messageHandler(channel);
    if (handler === undefined) {
      this.#context.metrics.drop('UNKNOWN_CHANNEL');
      return;
    }
    const failed = (error: unknown): void => {
      this.#context.metrics.drop(HANDLER_FAILED);
      this.#context.logger.warn('message handler failed', { remote: this.peer.remoteAddress, channel, reason: String(error) });
    };
    try {
      const outcome = handler(body, this);
      if (outcome instanceof Promise) outcome.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  #serveRequest(id: number, channel: number, body: Uint8Array): void {
    const handler = this.#router.requestHandler(channel);
    if (handler === undefined) {
      this.#answerError(id, NO_HANDLER, `no request handler on channel ${channel}`);
      return;
    }
    if (this.#incomingRequests >= this.#context.limits.maxIncomingRequests) {
      this.#context.metrics.drop(BUSY);
      this.#answerError(id, BUSY, 'too many requests in progress');
      return;
    }
    this.#incomingRequests += 1;
    new Promise<Uint8Array>((resolve) => resolve(handler(body, this)))
      .then(
        (response) => this.#answer(id, response),
        (error: unknown) => {
          const code = (error as { code?: unknown } | null)?.code;
          const wireCode = typeof code === 'string' && WIRE_CODE_PATTERN.test(code) ? code : HANDLER_FAILED;
          this.#answerError(id, wireCode, error instanceof Error ? error.message : String(error));
        },
      )
      .finally(() => {
        this.#incomingRequests -= 1;
        this.#checkQuiet();
      });
  }

  #answer(id: number, response: unknown): void {
    if (!(response instanceof Uint8Array)) {
      this.#answerError(id, HANDLER_FAILED, 'the handler returned no bytes');
    } else if (RESPONSE_OVERHEAD + response.length > this.#context.limits.maxFrameBytes) {
      this.#answerError(id, 'FRAME_TOO_LARGE', `response of ${response.length} bytes does not fit a frame`);
    } else {
      this.#framed.send({ type: 'RESPONSE', id, body: response }, 'control');
    }
  }

  #answerError(id: number, code: string, message: string): void {
    this.#framed.send({ type: 'ERROR', id, code, message }, 'control');
  }

  #onClosed(info: CloseInfo): void {
    this.#state = 'closed';
    clearInterval(this.#heartbeat);
    this.#context.metrics.connectionsActive -= 1;
    for (const [id, pending] of [...this.#pending]) {
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new TransportError('CLOSED', `connection closed before the response: ${info.code}: ${info.message}`));
    }
    this.#whenQuiet?.();
  }
}
