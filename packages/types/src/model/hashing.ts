import type { HashAlgorithm, HashDigest, PrivKey, PubKey, SignatureDigest } from '@jadechain/crypto';
import type { Codec } from '../codec/index.js';
import type { BlockHeader, CommitVote, ParticipantSet } from './block.js';
import { BlockHeader as BlockHeaderCodec, CommitVote as CommitVoteCodec, ParticipantSet as ParticipantSetCodec } from './block.js';
import type { LedgerInitProposal } from './genesis.js';
import { LedgerInitProposal as LedgerInitProposalCodec } from './genesis.js';
import type { TransactionContent } from './transaction.js';
import { TransactionContent as TransactionContentCodec } from './transaction.js';
import type { DigitalSignature } from './values.js';

/** What hashing needs of a crypto suite (the crypto package's CryptoSuite has it). */
export interface HashingSuite {
  hash(algorithm: HashAlgorithm, data: Uint8Array): HashDigest;
}

/** What signing needs of a crypto suite. */
export interface SigningSuite {
  publicKeyOf(privateKey: PrivKey): PubKey;
  sign(privateKey: PrivKey, message: Uint8Array): SignatureDigest;
}

/** What verifying needs of a crypto suite. */
export interface VerifyingSuite {
  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean;
}

/** Hash of a value's canonical encoding. */
export function hashOf<T>(suite: HashingSuite, algorithm: HashAlgorithm, codec: Codec<T>, value: T): HashDigest {
  return suite.hash(algorithm, codec.encode(value));
}

/** The transaction hash: the hash of the encoded content, with the ledger's hash algorithm. */
export function transactionHash(suite: HashingSuite, algorithm: HashAlgorithm, content: TransactionContent): HashDigest {
  return hashOf(suite, algorithm, TransactionContentCodec, content);
}

/** The transaction hash from the content's canonical encoding, as `decodeTransactionRequest` finds it. */
export function transactionHashOfContentBytes(suite: HashingSuite, algorithm: HashAlgorithm, contentBytes: Uint8Array): HashDigest {
  return suite.hash(algorithm, contentBytes);
}

/** The block hash: the hash of the encoded header (the genesis block's is the ledger hash). */
export function blockHash(suite: HashingSuite, algorithm: HashAlgorithm, header: BlockHeader): HashDigest {
  return hashOf(suite, algorithm, BlockHeaderCodec, header);
}

/** The hash of the active participant set recorded in each block header. */
export function participantSetHash(suite: HashingSuite, algorithm: HashAlgorithm, participants: ParticipantSet): HashDigest {
  return hashOf(suite, algorithm, ParticipantSetCodec, participants);
}

/** The hash every founding organisation signs to approve an init proposal. */
export function initProposalHash(suite: HashingSuite, algorithm: HashAlgorithm, proposal: LedgerInitProposal): HashDigest {
  return hashOf(suite, algorithm, LedgerInitProposalCodec, proposal);
}

/**
 * The bytes a signature over a hash covers: the hash's tagged bytes (algorithm code ‖ digest), as
 * JD Chain signs `hash.toBytes()`. Used for endpoint, node and init signatures. A view of the
 * hash's own bytes, not a copy (a peer asks for it several times per transaction): never modify it.
 */
export function signedBytesOf(hash: HashDigest): Uint8Array {
  return hash.bytesView();
}

/** Signs a transaction or proposal hash and pairs the signature with the signer's public key. */
export function signHash(suite: SigningSuite, privateKey: PrivKey, hash: HashDigest): DigitalSignature {
  return { pubKey: suite.publicKeyOf(privateKey), signature: suite.sign(privateKey, signedBytesOf(hash)) };
}

/** Whether `signature` is its public key's valid signature of `hash`. */
export function verifyHashSignature(suite: VerifyingSuite, signature: DigitalSignature, hash: HashDigest): boolean {
  return suite.verify(signature.pubKey, signedBytesOf(hash), signature.signature);
}

/** The domain tag in front of every vote message: ASCII "JADECHAIN/COMMIT-VOTE" and a zero byte. */
export const COMMIT_VOTE_DOMAIN_TEXT = 'JADECHAIN/COMMIT-VOTE\0';
const COMMIT_VOTE_DOMAIN = new TextEncoder().encode(COMMIT_VOTE_DOMAIN_TEXT);

/** The message a participant signs to vote: the domain tag ‖ encoding of the CommitVote. */
export function commitVoteMessage(vote: CommitVote): Uint8Array {
  const encoded = CommitVoteCodec.encode(vote);
  const message = new Uint8Array(COMMIT_VOTE_DOMAIN.length + encoded.length);
  message.set(COMMIT_VOTE_DOMAIN);
  message.set(encoded, COMMIT_VOTE_DOMAIN.length);
  return message;
}
