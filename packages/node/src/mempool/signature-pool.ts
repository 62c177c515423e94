import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SignatureTask } from '@jadechain/ledger';
import { MempoolError } from './errors.js';
import { verifyTask } from './verify-task.js';
import { encodeBatch } from './wire.js';
import type { BatchReply, EncodedTask } from './wire.js';

/** Verifies many signatures at once, off the caller's thread. */
export interface BatchSignatureVerifier {
  /** One verdict per task, in order. Rejects (MempoolError) only when the verifier itself fails. */
  verifyAll(tasks: readonly SignatureTask[]): Promise<boolean[]>;
}

export interface SignatureWorkerPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  readonly workers?: number;
  /** Most signatures per message to a worker (default 512). */
  readonly maxBatch?: number;
  /**
   * Fewer queued signatures than this are verified at once in the calling thread (default 16):
   * handing a small batch to a sleeping worker and waking the caller for the answer costs more
   * CPU than verifying it (a round trip ≈66 µs of CPU on this machine's loopback benchmark, one
   * Ed25519 verification ≈54 µs). 1 sends everything to the workers.
   */
  readonly inlineBelow?: number;
}

/** One caller's tasks and where their verdicts go. */
interface Request {
  readonly verdicts: boolean[];
  remaining: number;
  settled: boolean;
  readonly resolve: (verdicts: boolean[]) => void;
  readonly reject: (error: Error) => void;
}

interface Item {
  readonly request: Request;
  readonly index: number;
  readonly task: EncodedTask;
}

interface Slot {
  worker: Worker;
  readonly batches: Map<number, readonly Item[]>;
}

/** Batches a worker may hold at once: one being verified and one waiting, so it never idles between replies. */
const BATCHES_PER_WORKER = 2;
/** Worker failures in a row (no verdict in between) after which the pool gives up instead of respawning forever. */
const MAX_FAILURES_IN_A_ROW = 3;

/**
 * A pool of worker threads that verify signatures with @jadechain/crypto's node backend. Calls
 * made in the same turn of the event loop are merged; fewer than `inlineBelow` are verified right
 * there, more are cut into batches spread over the workers; while every worker is busy, new tasks wait and form larger batches. Each batch goes
 * to its worker as one transferred buffer. Idle workers do not keep the process alive; `close()`
 * terminates them.
 */
export class SignatureWorkerPool implements BatchSignatureVerifier {
  readonly size: number;
  private readonly maxBatch: number;
  private readonly inlineBelow: number;
  private readonly slots: Slot[] = [];
  private queue: Item[] = [];
  private nextBatchId = 1;
  private flushScheduled = false;
  private closed = false;
  private failuresInARow = 0;
  /** Set when workers keep failing (they cannot start, say): every call rejects with it. */
  private broken: MempoolError | undefined;

  constructor(options: SignatureWorkerPoolOptions = {}) {
    this.size = wholeNumber('workers', options.workers ?? availableParallelism());
    this.maxBatch = wholeNumber('maxBatch', options.maxBatch ?? 512);
    this.inlineBelow = wholeNumber('inlineBelow', options.inlineBelow ?? 16);
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  verifyAll(tasks: readonly SignatureTask[]): Promise<boolean[]> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new MempoolError('VERIFIER_CLOSED', 'the signature pool is closed'));
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const request: Request = { verdicts: new Array<boolean>(tasks.length).fill(false), remaining: tasks.length, settled: false, resolve, reject };
      tasks.forEach((task, index) => {
        this.queue.push({ request, index, task: { message: task.message, publicKey: task.publicKey.bytesView(), signature: task.signature.bytesView() } });
      });
      this.scheduleFlush();
    });
  }

  /** Terminates the workers; queued and unfinished calls reject with VERIFIER_CLOSED. */
  close(): Promise<void> {
    return this.shutdown(new MempoolError('VERIFIER_CLOSED', 'the signature pool closed before verifying'));
  }

  /** Fails every unfinished call with `error` and terminates the workers. */
  private async shutdown(error: MempoolError): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const item of this.queue) fail(item.request, error);
    this.queue = [];
    await Promise.all(
      this.slots.map(async (slot) => {
        for (const items of slot.batches.values()) for (const item of items) fail(item.request, error);
        slot.batches.clear();
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): void {
    const worker = new Worker(new URL('./verify-worker.js', import.meta.url));
    const slot: Slot = { worker, batches: new Map() };
    worker.on('message', (reply: BatchReply) => this.settle(slot, reply));
    worker.on('error', (error) => this.replace(slot, error));
    worker.on('exit', (code) => this.replace(slot, new Error(`a verification worker exited with code ${code}`)));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.slots.push(slot);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Verifies a small queue here; otherwise hands queued tasks to workers with room, in even shares no larger than `maxBatch`. */
  private flush(): void {
    if (this.queue.length > 0 && this.queue.length < this.inlineBelow) {
      const items = this.queue;
      this.queue = [];
      for (const item of items) this.record(item, verifyTask(item.task));
      return;
    }
    while (this.queue.length > 0) {
      const free = this.slots.filter((slot) => slot.batches.size < BATCHES_PER_WORKER);
      if (free.length === 0) return;
      const share = Math.min(this.maxBatch, Math.ceil(this.queue.length / free.length));
      for (const slot of free) {
        if (this.queue.length === 0) break;
        this.dispatch(slot, this.queue.splice(0, share));
      }
    }
  }

  private dispatch(slot: Slot, items: readonly Item[]): void {
    const id = this.nextBatchId++;
    const buffer = encodeBatch(items.map((item) => item.task));
    slot.batches.set(id, items);
    // Busy workers keep the process alive until their verdicts are back.
    slot.worker.ref();
    slot.worker.postMessage({ id, buffer }, [buffer]);
  }

  private settle(slot: Slot, reply: BatchReply): void {
    const items = slot.batches.get(reply.id);
    slot.batches.delete(reply.id);
    if (slot.batches.size === 0) slot.worker.unref();
    if (items === undefined || reply.verdicts.length !== items.length) {
      this.replace(slot, new Error(`a verification worker answered batch ${reply.id} unexpectedly`));
      return;
    }
    this.failuresInARow = 0;
    items.forEach((item, position) => this.record(item, reply.verdicts[position] === 1));
    this.flush();
  }

  private record(item: Item, valid: boolean): void {
    const { request } = item;
    if (request.settled) return;
    request.verdicts[item.index] = valid;
    if (--request.remaining === 0) {
      request.settled = true;
      request.resolve(request.verdicts);
    }
  }

  /** A worker failed: its unfinished calls reject and a fresh worker takes its place. */
  private replace(slot: Slot, cause: Error): void {
    if (this.closed) return;
    const error = new MempoolError('VERIFIER_FAILED', `signature verification failed: ${cause.message}`, { cause });
    for (const items of slot.batches.values()) for (const item of items) fail(item.request, error);
    slot.batches.clear();
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.worker.removeAllListeners();
    // The failed worker may still report; with no listener an 'error' event would throw here.
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    if (++this.failuresInARow >= MAX_FAILURES_IN_A_ROW) {
      this.giveUp(error);
      return;
    }
    this.spawn();
    this.flush();
  }

  private giveUp(error: MempoolError): void {
    this.broken = error;
    void this.shutdown(error);
  }
}

function fail(request: Request, error: Error): void {
  if (request.settled) return;
  request.settled = true;
  request.reject(error);
}

function wholeNumber(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new MempoolError('INVALID_CONFIG', `${name} must be a positive whole number, got ${value}`);
  return value;
}
