import type { Address } from '@jadechain/crypto';
import type { ContractHost, DerivedOperation, KvEntryView } from './host.js';

interface Checkpoint {
  readonly undo: number;
  readonly operations: number;
}

/**
 * The writes of one invocation, on top of the host's state: reads see them, and a failed nested
 * call rolls back to its checkpoint. Nothing reaches the ledger but the final list of derived
 * operations, in the order the contracts performed them. The host's state does not change while
 * the invocation runs (its writes only become operations at the end), so what the host answered
 * for a slot is kept and not asked again: a write reads its slot's version first, and a
 * contract typically reads what it then writes.
 */
export class WriteOverlay {
  readonly #entries = new Map<string, KvEntryView>();
  readonly #sequences = new Map<string, bigint>();
  /** The host's answers by slot; null for a key it does not hold. */
  readonly #hostEntries = new Map<string, KvEntryView | null>();
  readonly #hostSequences = new Map<string, bigint>();
  readonly #undo: Array<() => void> = [];
  readonly #operations: DerivedOperation[] = [];

  constructor(private readonly host: ContractHost) {}

  get operations(): readonly DerivedOperation[] {
    return this.#operations;
  }

  getKv(account: Address, key: string): KvEntryView | undefined {
    const slot = slotKey(account, key);
    const written = this.#entries.get(slot);
    if (written !== undefined) return written;
    let answered = this.#hostEntries.get(slot);
    if (answered === undefined) {
      answered = this.host.getKv(account, key) ?? null;
      this.#hostEntries.set(slot, answered);
    }
    return answered ?? undefined;
  }

  eventSequence(account: Address, topic: string): bigint {
    const slot = slotKey(account, topic);
    const published = this.#sequences.get(slot);
    if (published !== undefined) return published;
    let answered = this.#hostSequences.get(slot);
    if (answered === undefined) {
      answered = this.host.getEventSequence(account, topic);
      this.#hostSequences.set(slot, answered);
    }
    return answered;
  }

  record(operation: DerivedOperation): void {
    if (operation.type === 'KvSet') {
      const slot = slotKey(operation.account, operation.key);
      this.#remember(this.#entries, slot);
      this.#entries.set(slot, { version: operation.expectedVersion + 1n, value: operation.value });
    } else {
      const slot = slotKey(operation.account, operation.topic);
      this.#remember(this.#sequences, slot);
      this.#sequences.set(slot, operation.expectedSequence + 1n);
    }
    this.#operations.push(operation);
  }

  checkpoint(): Checkpoint {
    return { undo: this.#undo.length, operations: this.#operations.length };
  }

  rollback(checkpoint: Checkpoint): void {
    while (this.#undo.length > checkpoint.undo) this.#undo.pop()?.();
    this.#operations.length = checkpoint.operations;
  }

  #remember<V>(map: Map<string, V>, slot: string): void {
    const previous = map.get(slot);
    this.#undo.push(previous === undefined ? () => map.delete(slot) : () => map.set(slot, previous));
  }
}

function slotKey(account: Address, name: string): string {
  return `${account.toBase58()}\u0000${name}`;
}
