import { TransactionRequest, TransactionResult, emptyMerkleRoot } from '@jadechain/types';
import type { MerkleHashFunction } from '@jadechain/types';
import { LedgerError } from '../errors.js';
import { MerkleTree } from '../merkle/index.js';
import type { MerkleProofResult } from '../merkle/index.js';
import { BytesMap } from '../state/bytes-map.js';

/** A transaction as recorded in its block: the canonical bytes of its request and its result. */
export interface TransactionRecord {
  readonly index: number;
  readonly transactionHash: Uint8Array;
  readonly requestBytes: Uint8Array;
  readonly resultBytes: Uint8Array;
}

/** Stored under `T ‖ height ‖ index`: u32 request length ‖ request ‖ result. */
export function encodeTransactionRecord(record: TransactionRecord): Uint8Array {
  const out = new Uint8Array(4 + record.requestBytes.length + record.resultBytes.length);
  new DataView(out.buffer).setUint32(0, record.requestBytes.length);
  out.set(record.requestBytes, 4);
  out.set(record.resultBytes, 4 + record.requestBytes.length);
  return out;
}

export function decodeTransactionRecord(bytes: Uint8Array): { request: TransactionRequest; result: TransactionResult } {
  try {
    const requestLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
    return {
      request: TransactionRequest.decode(bytes.subarray(4, 4 + requestLength)),
      result: TransactionResult.decode(bytes.subarray(4 + requestLength)),
    };
  } catch (error) {
    throw new LedgerError('CORRUPT_STATE', `a stored transaction does not decode: ${(error as Error).message}`);
  }
}

/**
 * The leaf of a transaction in its block's transaction-set tree, under the key of its (raw)
 * transaction hash: H(u32 index ‖ request ‖ result), so the block commits to each transaction's
 * position, its signatures and its outcome.
 */
export function transactionLeaf(hash: MerkleHashFunction, record: TransactionRecord): Uint8Array {
  const preimage = new Uint8Array(4 + record.requestBytes.length + record.resultBytes.length);
  new DataView(preimage.buffer).setUint32(0, record.index);
  preimage.set(record.requestBytes, 4);
  preimage.set(record.resultBytes, 4 + record.requestBytes.length);
  return hash(preimage);
}

/**
 * The block's transaction set: a tree built afresh for each block (its nodes are not stored; a
 * proof rebuilds it from the block's transactions).
 */
export class TransactionSet {
  private readonly nodes = new BytesMap<Uint8Array>();
  private readonly tree: MerkleTree;
  readonly root: Uint8Array;

  constructor(hash: MerkleHashFunction, records: readonly TransactionRecord[]) {
    this.tree = new MerkleTree(hash, { getNode: (id) => this.nodes.get(id) });
    const update = this.tree.update(
      emptyMerkleRoot(),
      records.map((record) => ({ key: record.transactionHash, valueHash: transactionLeaf(hash, record) })),
    );
    for (const node of update.newNodes) this.nodes.set(node.id, node.bytes);
    this.root = update.root;
  }

  prove(transactionHash: Uint8Array): MerkleProofResult {
    return this.tree.prove(this.root, transactionHash);
  }
}
