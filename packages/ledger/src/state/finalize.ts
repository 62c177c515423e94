import { isEmptyMerkleHash } from '@jadechain/types';
import type { MerkleHashFunction } from '@jadechain/types';
import { MerkleTree } from '../merkle/index.js';
import type { MerkleChange, MerkleUpdate } from '../merkle/index.js';
import { LedgerError } from '../errors.js';
import { BytesMap } from './bytes-map.js';
import { sameBytes } from './bytes.js';
import { decodeContainer, encodeContainer, newContainer } from './container.js';
import { DATASET } from './layout.js';
import type { DatasetId } from './layout.js';
import { LayeredSource } from './layer.js';
import { BlockLocationTables, LocatingReader, NewNodeLocations } from './node-locations.js';
import type { ChangeLayer } from './layer.js';
import { Slot } from './source.js';
import type { StateSource } from './source.js';

/** The roots of the top-level datasets, as raw 32-byte tree roots. */
export interface StateRoots {
  readonly admin: Uint8Array;
  readonly users: Uint8Array;
  readonly dataAccounts: Uint8Array;
  readonly contracts: Uint8Array;
  readonly eventAccounts: Uint8Array;
}

const TOP_LEVEL: ReadonlyArray<readonly [keyof StateRoots, DatasetId]> = [
  ['admin', DATASET.admin],
  ['users', DATASET.users],
  ['dataAccounts', DATASET.dataAccounts],
  ['contracts', DATASET.contracts],
  ['eventAccounts', DATASET.eventAccounts],
];

/** Which account dataset holds the tree of each nested dataset. */
const CONTAINER_OF: ReadonlyMap<DatasetId, DatasetId> = new Map([
  [DATASET.kvEntries, DATASET.dataAccounts],
  [DATASET.events, DATASET.eventAccounts],
]);

const NO_SCOPE = new Uint8Array(0);

/** This thread's location tables: blocks are finished one at a time. */
const locationTables = new BlockLocationTables();

interface ContainerWork {
  readonly slot: Slot;
  readonly changes: MerkleChange[];
}

/**
 * Finishes a block's state: writes one new record for every account whose header, entry count
 * or entries changed (with the new root of its entries' tree), then updates every top-level tree
 * once. New tree nodes go into the layer, each with its location (this height, in the order
 * made: children before their parents), and each changed tree's root with the location it is
 * found at; the returned roots go into the block header.
 */
export function finalizeState(hash: MerkleHashFunction, height: number, layer: ChangeLayer, below: StateSource, parentRoots: StateRoots): StateRoots {
  // Each changed slot makes about ten new nodes and reads as many, learning two child locations from each.
  const table = locationTables.take(Math.max(64, layer.entries.size * 32));
  try {
    return finalizeWith(new LocatingReader(new LayeredSource(layer, below), table), hash, height, layer, below, parentRoots);
  } finally {
    locationTables.giveBack(table);
  }
}

function finalizeWith(reader: LocatingReader, hash: MerkleHashFunction, height: number, layer: ChangeLayer, below: StateSource, parentRoots: StateRoots): StateRoots {
  const tree = new MerkleTree(hash, reader);
  const locations = new NewNodeLocations(height);
  const addNodes = (previousRoot: Uint8Array, update: MerkleUpdate): void => {
    for (const node of update.newNodes) {
      // Content-addressed: another tree of this block may have made the same node already.
      const made = layer.nodes.get(node.id);
      if (made !== undefined) {
        reader.remember(node.id, made.location);
        continue;
      }
      const location = locations.next();
      layer.nodes.set(node.id, { record: reader.recordOf(node.bytes), location });
      reader.remember(node.id, location);
    }
    if (!isEmptyMerkleHash(update.root) && !sameBytes(update.root, previousRoot)) layer.rootLocations.set(update.root, reader.locationOf(update.root));
  };

  for (const work of containersToFinish(hash, layer)) {
    const base = below.latest(work.slot);
    const draft = layer.drafts.get(work.slot.prefix);
    const previous = base !== undefined ? decodeContainer(base.bytes) : draft !== undefined ? newContainer(draft.header) : undefined;
    if (previous === undefined) throw new LedgerError('CORRUPT_STATE', 'entries were written to an account that does not exist');
    const update = work.changes.length === 0 ? { root: previous.entriesRoot, newNodes: [] } : tree.update(previous.entriesRoot, work.changes);
    addNodes(previous.entriesRoot, update);
    const bytes = encodeContainer({
      header: draft?.header ?? previous.header,
      entriesRoot: update.root,
      entryCount: draft?.entryCount ?? previous.entryCount,
    });
    layer.addRevision(work.slot, { revision: base === undefined ? 0 : base.revision + 1, height, bytes }, base);
  }
  layer.drafts.clear();

  const changesOf = new Map<DatasetId, MerkleChange[]>();
  for (const change of layer.entries.values()) {
    const latest = change.revisions[change.revisions.length - 1];
    if (latest === undefined || change.slot.scope.length !== 0) continue;
    const changes = changesOf.get(change.slot.dataset) ?? [];
    changes.push({ key: change.slot.key, valueHash: hash(latest.bytes) });
    changesOf.set(change.slot.dataset, changes);
  }
  const roots: Record<keyof StateRoots, Uint8Array> = { ...parentRoots };
  for (const [name, dataset] of TOP_LEVEL) {
    const changes = changesOf.get(dataset);
    if (changes === undefined) continue;
    const update = tree.update(parentRoots[name], changes);
    addNodes(parentRoots[name], update);
    roots[name] = update.root;
  }
  return roots;
}

/** Every account with a draft or with changed entries, each once, with its entries' new leaves. */
function containersToFinish(hash: MerkleHashFunction, layer: ChangeLayer): ContainerWork[] {
  const work = new BytesMap<ContainerWork>();
  const workFor = (slot: Slot): ContainerWork => {
    let item = work.get(slot.prefix);
    if (item === undefined) {
      item = { slot, changes: [] };
      work.set(slot.prefix, item);
    }
    return item;
  };
  for (const draft of layer.drafts.values()) workFor(draft.slot);
  for (const change of layer.entries.values()) {
    const container = CONTAINER_OF.get(change.slot.dataset);
    const latest = change.revisions[change.revisions.length - 1];
    if (container === undefined || latest === undefined) continue;
    workFor(new Slot(container, NO_SCOPE, change.slot.scope)).changes.push({ key: change.slot.key, valueHash: hash(latest.bytes) });
  }
  return work.values();
}
