import { LedgerError } from '../errors.js';
import { decodeContainer } from './container.js';
import { listItemKey, listPrefix } from './layout.js';
import type { DatasetId } from './layout.js';
import { LayeredSource } from './layer.js';
import type { ChangeLayer, ContainerDraft } from './layer.js';
import { Slot } from './source.js';
import type { StateSource, StoredRecord, TransactionLocation } from './source.js';
import type { TreeKeys } from './tree-keys.js';

const NO_SCOPE = new Uint8Array(0);

/** An account's header and entry count as the executing transaction sees them. */
export interface ContainerView {
  readonly slot: Slot;
  readonly header: Uint8Array;
  readonly entryCount: number;
}

/**
 * Untyped access to the state for one transaction (or, with no layers, read-only access to a
 * view): slots and their revisions, account drafts, append-only lists and counters. Writes go
 * to the first layer; reads see the layers, newest first, then the base.
 */
export class StateAccess {
  private readonly reader: StateSource;

  constructor(
    readonly height: number,
    private readonly treeKeys: TreeKeys,
    private readonly layers: readonly ChangeLayer[],
    private readonly base: StateSource,
    private readonly baseCounters: ReadonlyMap<string, number>,
  ) {
    this.reader = layers.reduceRight<StateSource>((below, layer) => new LayeredSource(layer, below), base);
  }

  /** A logical key's tree key: its hash under the state hash algorithm. */
  treeKey(logicalKey: Uint8Array): Uint8Array {
    return this.treeKeys.of(logicalKey);
  }

  /** Top-level slots (addresses, admin keys) have their tree keys remembered; nested ones not. */
  slot(dataset: DatasetId, logicalKey: Uint8Array, scope: Uint8Array = NO_SCOPE): Slot {
    return new Slot(dataset, scope, this.treeKeys.of(logicalKey, scope.length === 0));
  }

  latest(slot: Slot): StoredRecord | undefined {
    return this.reader.latest(slot);
  }

  atRevision(slot: Slot, revision: number): StoredRecord | undefined {
    return this.reader.atRevision(slot, revision);
  }

  /** Adds a new revision of the slot; returns its number (0 for a new slot). */
  append(slot: Slot, bytes: Uint8Array): number {
    const superseded = this.latest(slot);
    const revision = (superseded?.revision ?? -1) + 1;
    this.writer().addRevision(slot, { revision, height: this.height, bytes }, superseded);
    return revision;
  }

  /** An account's header and entry count: its draft in this block if any, else its record. */
  container(slot: Slot): ContainerView | undefined {
    for (const layer of this.layers) {
      const draft = layer.drafts.get(slot.prefix);
      if (draft !== undefined) return draft;
    }
    const record = this.base.latest(slot);
    if (record === undefined) return undefined;
    const decoded = decodeContainer(record.bytes);
    return { slot, header: decoded.header, entryCount: decoded.entryCount };
  }

  putContainer(draft: ContainerDraft): void {
    this.writer().drafts.set(draft.slot.prefix, draft);
  }

  listItem(dataset: DatasetId, scope: Uint8Array, position: number): Uint8Array | undefined {
    return this.reader.listItem(listPrefix(dataset, scope), position);
  }

  addListItem(dataset: DatasetId, scope: Uint8Array, position: number, item: Uint8Array): void {
    this.writer().listItems.set(listItemKey(listPrefix(dataset, scope), position), item);
  }

  counter(name: string): number {
    for (const layer of this.layers) {
      const value = layer.counters.get(name);
      if (value !== undefined) return value;
    }
    return this.baseCounters.get(name) ?? 0;
  }

  setCounter(name: string, value: number): void {
    this.writer().counters.set(name, value);
  }

  transactionLocation(txHash: Uint8Array): TransactionLocation | undefined {
    return this.reader.transactionLocation(txHash);
  }

  blob(key: Uint8Array): Uint8Array | undefined {
    return this.reader.blob(key);
  }

  putBlob(key: Uint8Array, value: Uint8Array): void {
    this.writer().blobs.set(key, value);
  }

  private writer(): ChangeLayer {
    const layer = this.layers[0];
    if (layer === undefined) throw new LedgerError('CORRUPT_STATE', 'a read-only view of the state cannot be written');
    return layer;
  }
}
