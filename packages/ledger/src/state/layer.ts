import type { KVReader } from '@jadechain/storage';
import { BytesMap } from './bytes-map.js';
import type { NodeCache } from './node-cache.js';
import { listItemKey } from './layout.js';
import { StoreSource } from './source.js';
import type { Slot, StateSource, StoredRecord, TransactionLocation } from './source.js';

export interface EntryChange {
  readonly slot: Slot;
  /** The new revisions, oldest first, numbered on from the slot's latest revision below. */
  readonly revisions: StoredRecord[];
  /** The latest revision below this layer, which the new ones supersede (none for a new slot). */
  readonly superseded: StoredRecord | undefined;
}

/**
 * An account whose header or entry count changed in the block being executed. Its record (with
 * the root of its entries' tree) is only written when the block is finished.
 */
export interface ContainerDraft {
  readonly slot: Slot;
  readonly header: Uint8Array;
  readonly entryCount: number;
}

/** A tree node a block made: its record as it will be stored, and where. */
export interface NewNode {
  readonly record: Uint8Array;
  readonly location: Uint8Array;
}

/** What one block, or one transaction inside it, changes; nothing here is in the store yet. */
export class ChangeLayer {
  /** By slot prefix. */
  readonly entries = new BytesMap<EntryChange>();
  /** By slot prefix. */
  readonly drafts = new BytesMap<ContainerDraft>();
  /** By list item key. */
  readonly listItems = new BytesMap<Uint8Array>();
  /** By tagged transaction hash. */
  readonly locations = new BytesMap<TransactionLocation>();
  /** The tree nodes made when the block was finished, by node id (state/node-locations.ts). */
  readonly nodes = new BytesMap<NewNode>();
  /** The locations of the roots of the trees this block changed, by root id. */
  readonly rootLocations = new BytesMap<Uint8Array>();
  /** Content-addressed data outside the trees (contract code), by storage key. */
  readonly blobs = new BytesMap<Uint8Array>();
  /** Running totals (users, accounts, ...) as absolute values. */
  readonly counters = new Map<string, number>();

  addRevision(slot: Slot, record: StoredRecord, superseded: StoredRecord | undefined): void {
    const change = this.entries.get(slot.prefix);
    if (change === undefined) this.entries.set(slot.prefix, { slot, revisions: [record], superseded });
    else change.revisions.push(record);
  }

  /** Moves everything of this (transaction) layer into `target` (its block's layer). */
  mergeInto(target: ChangeLayer): void {
    this.entries.forEach((change) => {
      for (const record of change.revisions) target.addRevision(change.slot, record, change.superseded);
    });
    this.drafts.forEach((draft, key) => target.drafts.set(key, draft));
    this.listItems.forEach((item, key) => target.listItems.set(key, item));
    this.locations.forEach((location, key) => target.locations.set(key, location));
    this.nodes.forEach((node, key) => target.nodes.set(key, node));
    this.rootLocations.forEach((location, key) => target.rootLocations.set(key, location));
    this.blobs.forEach((blob, key) => target.blobs.set(key, blob));
    for (const [name, value] of this.counters) target.counters.set(name, value);
  }
}

/** A layer read first, then whatever lies below it. */
export class LayeredSource implements StateSource {
  constructor(
    readonly layer: ChangeLayer,
    private readonly below: StateSource,
  ) {}

  latest(slot: Slot): StoredRecord | undefined {
    const revisions = this.layer.entries.get(slot.prefix)?.revisions;
    return revisions?.[revisions.length - 1] ?? this.below.latest(slot);
  }

  atRevision(slot: Slot, revision: number): StoredRecord | undefined {
    const revisions = this.layer.entries.get(slot.prefix)?.revisions;
    const first = revisions?.[0];
    if (revisions !== undefined && first !== undefined && revision >= first.revision) return revisions[revision - first.revision];
    return this.below.atRevision(slot, revision);
  }

  listItem(list: Uint8Array, position: number): Uint8Array | undefined {
    return this.layer.listItems.get(listItemKey(list, position)) ?? this.below.listItem(list, position);
  }

  transactionLocation(txHash: Uint8Array): TransactionLocation | undefined {
    return this.layer.locations.get(txHash) ?? this.below.transactionLocation(txHash);
  }

  getNode(id: Uint8Array, location?: Uint8Array): Uint8Array | undefined {
    return this.layer.nodes.get(id)?.record ?? this.below.getNode(id, location);
  }

  rootLocation(id: Uint8Array): Uint8Array | undefined {
    return this.layer.rootLocations.get(id) ?? this.layer.nodes.get(id)?.location ?? this.below.rootLocation(id);
  }

  blob(key: Uint8Array): Uint8Array | undefined {
    return this.layer.blobs.get(key) ?? this.below.blob(key);
  }
}

/** Reads cached per view: a view's state never changes, so neither do its answers. */
const VIEW_CACHE_LIMIT = 100_000;

/**
 * The state source of a block view. While the block is pending it reads its own layer and then
 * its parent's source; once committed it reads the store (as of its height) and lets go of the
 * layer and the parent, so that a long pipeline of blocks does not keep every layer alive.
 */
export class ViewSource implements StateSource {
  private current: StateSource;
  private readonly latestCache = new BytesMap<StoredRecord | null>();

  constructor(
    private readonly store: KVReader,
    private readonly nodes: NodeCache,
    readonly height: number,
    pending: { readonly layer: ChangeLayer; readonly parent: StateSource } | null,
  ) {
    this.current = pending === null ? new StoreSource(store, height, nodes) : new LayeredSource(pending.layer, pending.parent);
  }

  get committed(): boolean {
    return this.current instanceof StoreSource;
  }

  markCommitted(): void {
    // The block's new tree nodes are what the next blocks read first (their paths share the
    // upper levels): keep them cached rather than read them back from the store. Nodes are
    // content-addressed, so a cached node can never differ from the stored one.
    if (this.current instanceof LayeredSource) this.current.layer.nodes.forEach((node, id) => this.nodes.add(id, node.record));
    this.current = new StoreSource(this.store, this.height, this.nodes);
  }

  latest(slot: Slot): StoredRecord | undefined {
    const cached = this.latestCache.get(slot.prefix);
    if (cached !== undefined) return cached ?? undefined;
    const record = this.current.latest(slot);
    if (this.latestCache.size >= VIEW_CACHE_LIMIT) this.latestCache.clear();
    this.latestCache.set(slot.prefix, record ?? null);
    return record;
  }

  atRevision(slot: Slot, revision: number): StoredRecord | undefined {
    return this.current.atRevision(slot, revision);
  }

  listItem(list: Uint8Array, position: number): Uint8Array | undefined {
    return this.current.listItem(list, position);
  }

  transactionLocation(txHash: Uint8Array): TransactionLocation | undefined {
    return this.current.transactionLocation(txHash);
  }

  getNode(id: Uint8Array, location?: Uint8Array): Uint8Array | undefined {
    return this.current.getNode(id, location);
  }

  rootLocation(id: Uint8Array): Uint8Array | undefined {
    return this.current.rootLocation(id);
  }

  blob(key: Uint8Array): Uint8Array | undefined {
    return this.current.blob(key);
  }
}
