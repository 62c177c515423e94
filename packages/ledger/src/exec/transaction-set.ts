import { TransactionRequest, TransactionResult, emptyMerkleRoot } from '@jadechain/types';
import type { MerkleHashFunction } from '@jadechain/types';
import { LedgerError } from '../errors.js';
import { MerkleTree } from '../merkle/index.js';
import type { MerkleNode, MerkleProofResult } from '../merkle/index.js';
import { BytesMap } from '../state/bytes-map.js';
import { ScratchJoiner, concatBytes, u32be } from '../state/bytes.js';
import type { JoinBytes } from '../state/bytes.js';

/**
 * A transaction as recorded in its block: the canonical bytes of its request and its result, and
 * the contract receipt when it invoked a contract (stored under its own key).
 */
export interface TransactionRecord {
  readonly index: number;
  readonly transactionHash: Uint8Array;
  readonly requestBytes: Uint8Array;
  readonly resultBytes: Uint8Array;
  readonly receiptBytes?: Uint8Array;
}

/** Stored under `T ‖ height ‖ index`: u32 request length ‖ request ‖ result. */
export function encodeTransactionRecord(record: TransactionRecord, join: JoinBytes = concatBytes): Uint8Array {
  return join(u32be(record.requestBytes.length), record.requestBytes, record.resultBytes);
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
 * transaction hash: H(u32 index ‖ request ‖ result ‖ receipt), so the block commits to each
 * transaction's position, its signatures and its outcome (gas and contract errors included). The
 * receipt is empty for a transaction that invoked no contract.
 */
export function transactionLeaf(hash: MerkleHashFunction, record: TransactionRecord): Uint8Array {
  return hash(leafScratch.join(u32be(record.index), record.requestBytes, record.resultBytes, record.receiptBytes ?? NO_RECEIPT));
}

const NO_RECEIPT = new Uint8Array(0);

/** The leaf preimage is hashed at once and never kept: one buffer serves every transaction. */
const leafScratch = new ScratchJoiner();

/**
 * The block's transaction set: a tree built afresh for each block (its nodes are not stored; a
 * proof rebuilds it from the block's transactions).
 */
export class TransactionSet {
  private readonly newNodes: readonly MerkleNode[];
  private readonly tree: MerkleTree;
  /** Filled on the first proof: execution needs only the root (building from empty reads no node). */
  private nodes: BytesMap<Uint8Array> | undefined;
  readonly root: Uint8Array;

  constructor(hash: MerkleHashFunction, records: readonly TransactionRecord[]) {
    this.tree = new MerkleTree(hash, { getNode: (id) => this.nodeIndex().get(id) });
    const update = this.tree.update(
      emptyMerkleRoot(),
      records.map((record) => ({ key: record.transactionHash, valueHash: transactionLeaf(hash, record) })),
    );
    this.newNodes = update.newNodes;
    this.root = update.root;
  }

  prove(transactionHash: Uint8Array): MerkleProofResult {
    return this.tree.prove(this.root, transactionHash);
  }

  private nodeIndex(): BytesMap<Uint8Array> {
    if (this.nodes === undefined) {
      const nodes = new BytesMap<Uint8Array>();
      for (const node of this.newNodes) nodes.set(node.id, node.bytes);
      this.nodes = nodes;
    }
    return this.nodes;
  }
}
