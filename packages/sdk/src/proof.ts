import { Address, HASH_ALGORITHMS, HashDigest, PubKey, cryptoSuite } from '@jadechain/crypto';
import type { HashAlgorithm } from '@jadechain/crypto';
import {
  BlockHeader,
  CommitCertificate,
  KvEntry,
  countCertificateSigners,
  fromBase64,
  merkleProofFromJson,
  verifyMerkleProof,
  type HashingSuite,
  type MerkleHashFunction,
  type MerkleProofJson,
  type VerifyingSuite,
} from '@jadechain/types';
import { ProofVerificationError } from './errors.js';
import { isObject, type Json } from './http.js';
import { kvEntryMatches, sameJson } from './proof-json.js';
import type { BlockJson, KvEntryJson } from './responses.js';

/** One Merkle step of a KV proof: the record's canonical bytes (base64; null when absent) and its path. */
export interface RecordProofJson {
  readonly record: string | null;
  readonly proof: MerkleProofJson;
}

/** The answer of GET /ledgers/{ledger}/proofs/kv (docs/api.md), not yet believed. */
export interface KvProofResponse {
  readonly ledgerHash: string;
  readonly account: string;
  readonly key: string;
  readonly stateHashAlgorithm: string;
  readonly entry: KvEntryJson | null;
  readonly proof: { readonly account: RecordProofJson; readonly entry: RecordProofJson | null };
  readonly block: BlockJson;
  readonly header: unknown;
  readonly headerBytes: string;
  readonly certificate: unknown;
  readonly certificateBytes: string | null;
}

/** A participant known with its id, so that votes by participant id are matched exactly. */
export interface ParticipantKey {
  readonly id: number;
  readonly pubKey: PubKey;
}

/** What the verifier trusts, learned from the ledger's genesis or settings, never from the proof. */
export interface ProofTrust {
  readonly ledgerHash: HashDigest | string;
  /** The ledger's consensus participants at the proven block. */
  readonly participants: ReadonlyArray<PubKey | ParticipantKey>;
  /** Distinct participants whose votes are required; default `bftQuorum(participants.length)`. */
  readonly quorum?: number;
  /** When given, the proof must be about this account, key and block height. */
  readonly account?: Address | string;
  readonly key?: string;
  readonly height?: number | bigint;
  /** Hashing and signature checks; by default @jadechain/crypto's suite (the pure one in browsers). */
  readonly suite?: HashingSuite & VerifyingSuite;
}

/** What a proof established. */
export interface VerifiedKv {
  readonly ledgerHash: HashDigest;
  readonly account: Address;
  readonly key: string;
  readonly height: bigint;
  readonly blockHash: HashDigest;
  readonly blockTimestamp: bigint;
  /** The entry as of that block, decoded from the proven bytes; undefined when proven absent. */
  readonly entry: KvEntry | undefined;
  /** How many distinct participants signed the commit certificate (0 for the genesis block). */
  readonly signers: number;
}

/**
 * The votes a commit needs among n participants: 2f+1 when n = 3f+1, in general n − f with
 * f = ⌊(n−1)/3⌋ the faults tolerated, as the BFT engine counts; n = 1 ⇒ 1.
 */
export function bftQuorum(participantCount: number): number {
  return participantCount - Math.floor((participantCount - 1) / 3);
}

/**
 * Checks a KV proof without trusting whoever served it: the two Merkle proofs lead to the
 * header's data-account root, the header bytes hash to the block hash, the block belongs to the
 * trusted ledger, and a quorum of the trusted participants signed the commit vote for that block
 * (at height 0, the header must hash to the ledger hash itself). Every readable copy in the
 * response must agree with the proven bytes. Throws ProofVerificationError naming the check that
 * failed; returns what was proven.
 */
export function verifyKvProof(response: unknown, trust: ProofTrust): VerifiedKv {
  const suite = trust.suite ?? cryptoSuite;
  const ledgerHash = typeof trust.ledgerHash === 'string' ? HashDigest.fromBase58(trust.ledgerHash) : trust.ledgerHash;
  const answer = fields(response);
  const account = decoded('account', () => Address.fromBase58(text(answer, 'account')));
  const key = text(answer, 'key');
  checkSubject(answer, trust, ledgerHash, account, key);

  const headerBytes = decoded('headerBytes', () => fromBase64(text(answer, 'headerBytes')));
  const header = decoded('headerBytes', () => BlockHeader.decode(headerBytes));
  if (trust.height !== undefined && header.height !== BigInt(trust.height)) {
    throw new ProofVerificationError('WRONG_SUBJECT', `the proof is of block ${header.height}, not ${trust.height}`);
  }
  if (!sameJson(answer['header'], BlockHeader.toJson(header))) throw new ProofVerificationError('INCONSISTENT', 'the header JSON differs from the header bytes');
  const { blockHash, signers } = checkCommitted(suite, answer, ledgerHash, header, headerBytes, trust);
  const block = answer['block'];
  if (!isObject(block) || block['hash'] !== blockHash.toBase58() || block['height'] !== Number(header.height)) {
    throw new ProofVerificationError('INCONSISTENT', 'the block JSON does not name the proven block');
  }
  const entry = checkMerkle(suite, answer, header, account, key);
  return { ledgerHash, account, key, height: header.height, blockHash, blockTimestamp: header.timestamp, entry, signers };
}

function checkSubject(answer: Json, trust: ProofTrust, ledgerHash: HashDigest, account: Address, key: string): void {
  if (text(answer, 'ledgerHash') !== ledgerHash.toBase58()) throw new ProofVerificationError('WRONG_SUBJECT', `the proof is of ledger ${text(answer, 'ledgerHash')}`);
  const expectedAccount = trust.account === undefined ? undefined : typeof trust.account === 'string' ? trust.account : trust.account.toBase58();
  if (expectedAccount !== undefined && expectedAccount !== account.toBase58()) throw new ProofVerificationError('WRONG_SUBJECT', `the proof is of account ${account.toBase58()}`);
  if (trust.key !== undefined && trust.key !== key) throw new ProofVerificationError('WRONG_SUBJECT', `the proof is of key ${JSON.stringify(key)}`);
}

/** The block hash, checked against the genesis hash or a quorum's commit certificate. */
function checkCommitted(
  suite: HashingSuite & VerifyingSuite,
  answer: Json,
  ledgerHash: HashDigest,
  header: BlockHeader,
  headerBytes: Uint8Array,
  trust: ProofTrust,
): { blockHash: HashDigest; signers: number } {
  if (header.height === 0n) {
    // The genesis block's hash is the ledger hash: trusting the ledger hash is trusting this header.
    if (!suite.hash(ledgerHash.algorithm, headerBytes).equals(ledgerHash)) throw new ProofVerificationError('BLOCK_HASH', 'the genesis header does not hash to the ledger hash');
    return { blockHash: ledgerHash, signers: 0 };
  }
  if (header.ledgerHash === undefined || !header.ledgerHash.equals(ledgerHash)) throw new ProofVerificationError('WRONG_SUBJECT', 'the header belongs to another ledger');
  const bytes = answer['certificateBytes'];
  if (typeof bytes !== 'string') throw new ProofVerificationError('CERTIFICATE', `block ${header.height} comes without a commit certificate`);
  const certificate = decoded('certificateBytes', () => CommitCertificate.decode(fromBase64(bytes)));
  if (!sameJson(answer['certificate'], CommitCertificate.toJson(certificate))) throw new ProofVerificationError('INCONSISTENT', 'the certificate JSON differs from its bytes');
  const blockHash = certificate.blockHash;
  if (!suite.hash(blockHash.algorithm, headerBytes).equals(blockHash)) throw new ProofVerificationError('BLOCK_HASH', 'the header does not hash to the certified block hash');
  if (certificate.height !== header.height) throw new ProofVerificationError('CERTIFICATE', `the certificate is for height ${certificate.height}, the header ${header.height}`);
  const participants = trust.participants.map((participant) => (participant instanceof PubKey ? { pubKey: participant } : participant));
  const signers = countCertificateSigners(suite, ledgerHash, certificate, participants);
  const quorum = trust.quorum ?? bftQuorum(trust.participants.length);
  if (signers < quorum) throw new ProofVerificationError('CERTIFICATE', `${signers} of ${trust.participants.length} participants validly signed; ${quorum} are needed`);
  return { blockHash, signers };
}

/** Both Merkle steps against the header's data-account root; the proven entry, if any. */
function checkMerkle(suite: HashingSuite, answer: Json, header: BlockHeader, account: Address, key: string): KvEntry | undefined {
  const algorithm = text(answer, 'stateHashAlgorithm');
  if (!(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) throw new ProofVerificationError('MALFORMED', `unknown state hash algorithm ${algorithm}`);
  const hash: MerkleHashFunction = (data) => suite.hash(algorithm as HashAlgorithm, data).raw;
  const proofs = answer['proof'];
  if (!isObject(proofs)) throw new ProofVerificationError('MALFORMED', 'the response has no proof');
  const accountRecord = provenRecord(hash, header.dataAccountRoot.raw, hash(account.toBytes()), proofs['account'], 'account');
  const entryJson = answer['entry'];
  if (accountRecord === undefined) {
    if (proofs['entry'] !== null || entryJson !== null) throw new ProofVerificationError('INCONSISTENT', 'an absent account has no entry');
    return undefined;
  }
  const entryRecord = provenRecord(hash, entriesRootOf(accountRecord), hash(new TextEncoder().encode(key)), proofs['entry'], 'entry');
  if (entryRecord === undefined) {
    if (entryJson !== null) throw new ProofVerificationError('INCONSISTENT', 'the response shows an entry the proof says is absent');
    return undefined;
  }
  const entry = decoded('proof.entry.record', () => KvEntry.decode(entryRecord));
  if (entry.key !== key) throw new ProofVerificationError('INCONSISTENT', 'the proven record is of another key');
  if (!kvEntryMatches(entryJson, entry)) throw new ProofVerificationError('INCONSISTENT', 'the entry JSON differs from the proven record');
  return entry;
}

/** Verifies one Merkle step and answers the proven record bytes (undefined when proven absent). */
function provenRecord(hash: MerkleHashFunction, root: Uint8Array, treeKey: Uint8Array, json: unknown, what: string): Uint8Array | undefined {
  if (!isObject(json)) throw new ProofVerificationError('MALFORMED', `the ${what} proof is missing`);
  const recordText = json['record'];
  const record = recordText === null ? undefined : decoded(`${what} record`, () => fromBase64(String(recordText)));
  const proof = decoded(`${what} proof`, () => merkleProofFromJson(json['proof']));
  let holds: boolean;
  try {
    holds = verifyMerkleProof(hash, root, treeKey, record === undefined ? null : hash(record), proof);
  } catch (error) {
    throw new ProofVerificationError('MERKLE', `the ${what} proof cannot be checked: ${(error as Error).message}`);
  }
  if (!holds) throw new ProofVerificationError('MERKLE', `the ${what} proof does not lead to the state root`);
  return record;
}

/**
 * The root of a data account's KV tree inside its proven record (spec/ledger.md, "State layout"):
 * u32 header length ‖ header ‖ 32-byte entries root ‖ u64 entry count, big-endian.
 */
function entriesRootOf(record: Uint8Array): Uint8Array {
  const headerLength = record.length >= 4 ? new DataView(record.buffer, record.byteOffset, record.byteLength).getUint32(0) : -1;
  if (headerLength < 0 || record.length !== 4 + headerLength + 40) throw new ProofVerificationError('MALFORMED', 'the proven account record does not have the container layout');
  return record.subarray(4 + headerLength, 4 + headerLength + 32);
}

function fields(response: unknown): Json {
  if (!isObject(response)) throw new ProofVerificationError('MALFORMED', 'a proof response is a JSON object');
  return response;
}

function text(answer: Json, field: string): string {
  const value = answer[field];
  if (typeof value !== 'string') throw new ProofVerificationError('MALFORMED', `"${field}" must be a string`);
  return value;
}

function decoded<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ProofVerificationError) throw error;
    throw new ProofVerificationError('MALFORMED', `${what} does not decode: ${(error as Error).message}`);
  }
}
