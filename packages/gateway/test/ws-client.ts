import { WebSocket } from 'ws';
import type { HashDigest } from '@jadechain/crypto';
import type { Operation } from '@jadechain/types';
import { hashOf, jsonBody, keyPair, signedTransaction } from './network.js';

/** A raw WebSocket client of `/events/ws` for the tests: it keeps every frame and waits for the ones wanted. */
export class FrameLog {
  readonly frames: Array<Record<string, unknown>> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.frames.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const waiter of [...this.#waiters]) waiter();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(url: string): Promise<FrameLog> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new FrameLog(socket);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Frames that satisfy `match`, once there are at least `count` of them. */
  async until(match: (frame: Record<string, unknown>) => boolean, count = 1, timeoutMs = 20_000): Promise<Array<Record<string, unknown>>> {
    const found = (): Array<Record<string, unknown>> => this.frames.filter(match);
    if (found().length >= count) return found();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`only ${found().length} of ${count} frames came; all frames: ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, timeoutMs);
      const check = (): void => {
        if (found().length < count) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(found());
      };
      this.#waiters.add(check);
    });
  }

  close(): void {
    this.socket.close();
  }
}

export const eventAccount = keyPair('ws-event-account');

/** A transaction registering the test's event account. */
export function registerEventAccount(ledgerHash: HashDigest): string {
  const operation: Operation = { type: 'EventAccountRegister', address: eventAccount.address, pubKey: eventAccount.publicKey };
  return jsonBody(signedTransaction(ledgerHash, [operation]));
}

/** A transaction publishing events `first`… on `topic` (per-topic sequences start at 0), each with `content`. */
export function publishEvents(ledgerHash: HashDigest, topic: string, first: number, contents: readonly Uint8Array[]): { body: string; hash: string } {
  const events = contents.map((value, offset) => ({ topic, content: { type: 'BYTES' as const, value }, expectedSequence: BigInt(first + offset - 1) }));
  const request = signedTransaction(ledgerHash, [{ type: 'EventPublish', account: eventAccount.address, events }]);
  return { body: jsonBody(request), hash: hashOf(request).toBase58() };
}

/** POSTs a JSON transaction and expects it committed. */
export async function submit(base: string, ledger: string, body: string): Promise<{ blockHeight: number }> {
  const response = await fetch(`${base}/ledgers/${ledger}/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const envelope = (await response.json()) as { success: boolean; data?: { blockHeight: number; executionState: string } };
  if (!envelope.success || envelope.data?.executionState !== 'SUCCESS') throw new Error(`not committed: ${JSON.stringify(envelope)}`);
  return { blockHeight: envelope.data.blockHeight };
}
