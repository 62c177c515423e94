import type { HashDigest } from '@jadechain/crypto';
import type { WriteBatch } from '@jadechain/storage';
import { ScratchJoiner, u64be } from '../state/bytes.js';
import { TIP_KEY, blockByHashKey, blockKey, latestRecordKey, nodeKey, nodeRootKey, receiptKey, recordKey, transactionIndexKey, transactionKey } from '../state/layout.js';
import type { ChangeLayer } from '../state/layer.js';
import { historyValue, latestValue, locationValue } from '../state/source.js';
import type { StoredRecord } from '../state/source.js';
import { encodeTransactionRecord } from './transaction-set.js';
import type { TransactionRecord } from './transaction-set.js';
import type { LedgerView } from './view.js';

/**
 * Everything one executed block adds to the store, not yet written: its header and totals, its
 * transactions with their results, the new state records and tree nodes, and the indexes.
 * `writeTo` puts all of it into one batch; the ledger adds the certificate and commits.
 */
export class WriteSet {
  constructor(
    readonly view: LedgerView,
    private readonly layer: ChangeLayer,
    private readonly transactions: readonly TransactionRecord[],
    private readonly blockRecord: Uint8Array,
    /** Entries only the genesis block writes (the ledger hash, the init proposal). */
    private readonly extra: ReadonlyArray<readonly [Uint8Array, Uint8Array]> = [],
  ) {}

  get height(): number {
    return this.view.height;
  }

  get blockHash(): HashDigest {
    return this.view.blockHash;
  }

  writeTo(batch: WriteBatch): void {
    const height = this.height;
    // Values are assembled in one reused buffer: the batch copies each at once.
    const { join } = new ScratchJoiner();
    this.layer.entries.forEach(({ slot, revisions, superseded }) => {
      // The latest revision goes under the slot's "latest" key; every older one into history.
      if (superseded !== undefined) batch.put(recordKey(slot.prefix, superseded.revision), historyValue(superseded, join));
      const last = revisions.length - 1;
      for (let i = 0; i < last; i++) {
        const record = revisions[i] as StoredRecord;
        batch.put(recordKey(slot.prefix, record.revision), historyValue(record, join));
      }
      const latest = revisions[last];
      if (latest !== undefined) batch.put(latestRecordKey(slot.prefix), latestValue(latest, join));
    });
    this.layer.listItems.forEach((item, key) => batch.put(key, item));
    this.layer.locations.forEach((location, txHash) => batch.put(transactionIndexKey(txHash), locationValue(location, join)));
    // A block's nodes go under consecutive locations (ADR 0002): appended together, not spread
    // over the store by their hashes.
    this.layer.nodes.forEach(({ record, location }) => batch.put(nodeKey(location, join), record));
    this.layer.rootLocations.forEach((location, id) => batch.put(nodeRootKey(id), location));
    this.layer.blobs.forEach((blob, key) => batch.put(key, blob));
    for (const record of this.transactions) {
      batch.put(transactionKey(height, record.index), encodeTransactionRecord(record, join));
      if (record.receiptBytes !== undefined) batch.put(receiptKey(height, record.index), record.receiptBytes);
    }
    for (const [key, value] of this.extra) batch.put(key, value);
    batch.put(blockKey(height), this.blockRecord);
    batch.put(blockByHashKey(this.blockHash.toBytes()), u64be(height));
    batch.put(TIP_KEY, u64be(height));
  }
}
