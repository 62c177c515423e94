import { LocatingReader } from '../state/node-locations.js';
import type { Address, HashDigest } from '@jadechain/crypto';
import { verifyMerkleProof } from '@jadechain/types';
import type { MerkleHashFunction, MerkleProof } from '@jadechain/types';
import { encodeReceipt } from '../contracts/receipt.js';
import { LedgerError } from '../errors.js';
import type { LedgerView } from '../exec/view.js';
import { MerkleTree } from '../merkle/index.js';
import { decodeContainer } from '../state/container.js';
import { utf8 } from '../state/bytes.js';
import { DATASET } from '../state/layout.js';
import { Slot } from '../state/source.js';
import { TransactionSet } from '../exec/transaction-set.js';
import { DATASET_OF_KIND } from './accounts.js';
import type { AccountKind } from './accounts.js';
import { transactionsOfBlock } from './blocks.js';
import type { LedgerTransaction } from './blocks.js';
import { rawHashFunction } from '../state/hashing.js';
import { TransactionRequest, TransactionResult } from '@jadechain/types';

/**
 * Proofs against the roots of a block header. A record's leaf in its tree is the hash of its
 * canonical bytes; nested entries (KV entries, events) are proven in two steps: the account's
 * record in the account-set tree, then the entry in the account's own tree, whose root is part
 * of that record.
 */
export interface RecordProof {
  /** The record's canonical bytes, or undefined when the proof shows it is absent. */
  readonly record: Uint8Array | undefined;
  readonly proof: MerkleProof;
}

export interface KvEntryProof {
  readonly account: RecordProof;
  /** Absent when the account itself is absent. */
  readonly entry: RecordProof | undefined;
}

const ROOT_OF: Readonly<Record<AccountKind, (view: LedgerView) => HashDigest>> = {
  users: (view) => view.header.userRoot,
  dataAccounts: (view) => view.header.dataAccountRoot,
  contracts: (view) => view.header.contractRoot,
  eventAccounts: (view) => view.header.eventRoot,
};

/** Proves an account's record (or its absence) against the view's header. */
export function proveAccount(view: LedgerView, kind: AccountKind, address: Address): RecordProof {
  const slot = new Slot(DATASET_OF_KIND[kind], NO_SCOPE, view.context.treeKeys.of(address.toBytes()));
  return proveSlot(view, ROOT_OF[kind](view).raw, slot);
}

/** Proves a KV entry's latest version (or its absence) against the view's data account root. */
export function proveKvEntry(view: LedgerView, account: Address, key: string): KvEntryProof {
  const accountProof = proveAccount(view, 'dataAccounts', account);
  if (accountProof.record === undefined) return { account: accountProof, entry: undefined };
  const { entriesRoot } = decodeContainer(accountProof.record);
  const scope = view.context.treeKeys.of(account.toBytes());
  return { account: accountProof, entry: proveSlot(view, entriesRoot, new Slot(DATASET.kvEntries, scope, view.context.treeKeys.of(utf8(key)))) };
}

/** Checks a KV proof as a light client would: only hashes, the root and the two proofs. */
export function verifyKvEntryProof(hash: MerkleHashFunction, dataAccountRoot: Uint8Array, account: Address, key: string, proof: KvEntryProof): boolean {
  const accountKey = hash(account.toBytes());
  const accountRecord = proof.account.record;
  if (!verifyMerkleProof(hash, dataAccountRoot, accountKey, accountRecord === undefined ? null : hash(accountRecord), proof.account.proof)) return false;
  if (accountRecord === undefined) return proof.entry === undefined;
  if (proof.entry === undefined) return false;
  const entryRecord = proof.entry.record;
  const { entriesRoot } = decodeContainer(accountRecord);
  return verifyMerkleProof(hash, entriesRoot, hash(utf8(key)), entryRecord === undefined ? null : hash(entryRecord), proof.entry.proof);
}

export interface TransactionProof {
  /** The transaction with its result and position, or undefined when the proof shows it is absent. */
  readonly transaction: LedgerTransaction | undefined;
  readonly proof: MerkleProof;
}

/**
 * Proves a transaction and its result in its block's transaction set, rebuilt from the block:
 * key = raw transaction hash, leaf = H(u32 index ‖ request ‖ result ‖ receipt) under the block's algorithm.
 */
export function proveTransaction(view: LedgerView, height: number, transactionHash: HashDigest): TransactionProof {
  const transactions: LedgerTransaction[] = [];
  for (let page = transactionsOfBlock(view.context.store, height); page.length > 0; page = transactionsOfBlock(view.context.store, height, transactions.length)) {
    transactions.push(...page);
  }
  const set = new TransactionSet(
    rawHashFunction(view.context.suite, transactionHash.algorithm),
    transactions.map((transaction) => ({
      index: transaction.index,
      transactionHash: transaction.result.transactionHash.raw,
      requestBytes: TransactionRequest.encode(transaction.request),
      resultBytes: TransactionResult.encode(transaction.result),
      ...(transaction.receipt === undefined ? {} : { receiptBytes: encodeReceipt(transaction.receipt) }),
    })),
  );
  return {
    transaction: transactions.find((transaction) => transaction.result.transactionHash.equals(transactionHash)),
    proof: set.prove(transactionHash.raw).proof,
  };
}

const NO_SCOPE = new Uint8Array(0);

function proveSlot(view: LedgerView, root: Uint8Array, slot: Slot): RecordProof {
  const tree = new MerkleTree(view.context.stateHash, new LocatingReader(view.source));
  const { valueHash, proof } = tree.prove(root, slot.key);
  const record = view.source.latest(slot);
  if ((valueHash === null) !== (record === undefined)) {
    throw new LedgerError('CORRUPT_STATE', 'a record and its tree leaf disagree');
  }
  return { record: record?.bytes, proof };
}
