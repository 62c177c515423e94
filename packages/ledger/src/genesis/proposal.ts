import { Address } from '@jadechain/crypto';
import type { CryptoSuite, PrivKey } from '@jadechain/crypto';
import { LedgerInitProposal, LedgerInitSignature, initProposalHash, signHash, verifyHashSignature } from '@jadechain/types';
import type { GenesisUser, LedgerSettings, Participant, RolePrivileges } from '@jadechain/types';
import { LedgerError } from '../errors.js';
import { LEDGER_HASH_ALGORITHMS } from '../state/hashing.js';
import { buildGenesis } from './build.js';
import type { GenesisBlock, GenesisState } from './build.js';

/** Everything a ledger starts from (`jadechain ledger init-propose`). */
export interface InitProposalParams {
  readonly seed: Uint8Array;
  /** Milliseconds since the epoch: a field, never the clock, so every machine builds the same genesis. */
  readonly createdTime: bigint;
  readonly settings: LedgerSettings;
  readonly participants: readonly Participant[];
  readonly genesisUsers: readonly GenesisUser[];
  readonly roles: readonly RolePrivileges[];
}

/**
 * Checks and normalises an init proposal: participants by id, roles by name, users by public
 * key, so that equal content gives equal bytes whatever order it was listed in.
 */
export function createInitProposal(params: InitProposalParams): LedgerInitProposal {
  const proposal: LedgerInitProposal = {
    seed: params.seed,
    createdTime: params.createdTime,
    settings: params.settings,
    participants: [...params.participants].sort((a, b) => a.id - b.id),
    genesisUsers: [...params.genesisUsers].sort((a, b) => Buffer.compare(a.pubKey.toBytes(), b.pubKey.toBytes())),
    roles: [...params.roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  checkProposal(proposal);
  // Encoding checks every field against its schema (lengths, names, counts).
  return LedgerInitProposal.decode(encodeProposal(proposal));
}

/** One organisation's approval (`jadechain ledger init-sign`), made offline with its own key. */
export function signInitProposal(suite: CryptoSuite, proposal: LedgerInitProposal, privateKey: PrivKey): LedgerInitSignature {
  const proposalHash = initProposalHash(suite, proposal.settings.crypto.hashAlgorithm, proposal);
  return { proposalHash, signature: signHash(suite, privateKey, proposalHash) };
}

/**
 * Checks that every participant signed this very proposal, and nobody else did, then builds the
 * genesis block (`jadechain ledger init-combine`). The result does not depend on the order of
 * the signatures; its block hash is the ledger hash.
 */
export function combineInit(suite: CryptoSuite, proposal: LedgerInitProposal, signatures: readonly LedgerInitSignature[]): GenesisBlock {
  return combineInitState(suite, proposal, signatures).block;
}

/** combineInit, keeping the state the genesis block creates (for Ledger.initialize to store). */
export function combineInitState(suite: CryptoSuite, proposal: LedgerInitProposal, signatures: readonly LedgerInitSignature[]): GenesisState {
  checkProposal(proposal);
  const proposalHash = initProposalHash(suite, proposal.settings.crypto.hashAlgorithm, proposal);
  const signed = new Set<string>();
  for (const { proposalHash: claimed, signature } of signatures) {
    const signer = Address.fromPublicKey(signature.pubKey).toBase58();
    if (!claimed.equals(proposalHash)) throw invalid(`the signature of ${signer} is for another proposal`);
    if (!proposal.participants.some((p) => p.pubKey.equals(signature.pubKey))) throw invalid(`${signer} is not a participant`);
    if (signed.has(signer)) throw invalid(`${signer} signed twice`);
    if (!verifyHashSignature(suite, signature, proposalHash)) throw invalid(`the signature of ${signer} does not verify`);
    signed.add(signer);
  }
  const missing = proposal.participants.filter((p) => !signed.has(p.address.toBase58()));
  if (missing.length > 0) throw invalid(`not signed by ${missing.map((p) => p.name).join(', ')}`);
  const ordered = [...signatures].sort((a, b) => Buffer.compare(LedgerInitSignature.encode(a), LedgerInitSignature.encode(b)));
  return buildGenesis(suite, proposal, ordered);
}

function checkProposal(proposal: LedgerInitProposal): void {
  const { settings } = proposal;
  if (!LEDGER_HASH_ALGORITHMS.includes(settings.crypto.hashAlgorithm)) {
    throw invalid(`${settings.crypto.hashAlgorithm} cannot hash a ledger (32-byte hashes are required)`);
  }
  const { limits } = settings;
  for (const [name, value] of Object.entries(limits)) if (value === 0) throw invalid(`limit ${name} must be positive`);
  const ids = new Set<number>();
  const addresses = new Set<string>();
  for (const participant of proposal.participants) {
    if (ids.has(participant.id)) throw invalid(`participant id ${participant.id} is used twice`);
    ids.add(participant.id);
    checkIdentity(settings, participant.address, participant.pubKey.algorithm, Address.fromPublicKey(participant.pubKey), `participant ${participant.name}`);
    if (addresses.has(participant.address.toBase58())) throw invalid(`participant ${participant.name} is listed twice`);
    addresses.add(participant.address.toBase58());
  }
  if (!proposal.participants.some((p) => p.state === 'CONSENSUS')) throw invalid('no participant is in state CONSENSUS');
  const roles = new Set(proposal.roles.map((role) => role.name));
  if (roles.size !== proposal.roles.length) throw invalid('a role is defined twice');
  const users = new Set<string>();
  for (const user of proposal.genesisUsers) {
    const address = Address.fromPublicKey(user.pubKey);
    checkIdentity(settings, address, user.pubKey.algorithm, address, `genesis user ${address.toBase58()}`);
    if (users.has(address.toBase58())) throw invalid(`genesis user ${address.toBase58()} is listed twice`);
    users.add(address.toBase58());
    for (const role of user.roles) if (!roles.has(role)) throw invalid(`genesis user ${address.toBase58()} has the undefined role ${role}`);
  }
}

function checkIdentity(settings: LedgerSettings, address: Address, algorithm: string, derived: Address, what: string): void {
  if (!address.equals(derived)) throw invalid(`the address of ${what} is not derived from its public key`);
  if (!settings.crypto.signatureAlgorithms.some((allowed) => allowed === algorithm)) throw invalid(`${what} uses ${algorithm}, which the ledger does not accept`);
}

function encodeProposal(proposal: LedgerInitProposal): Uint8Array {
  try {
    return LedgerInitProposal.encode(proposal);
  } catch (error) {
    throw invalid(`the proposal does not encode: ${(error as Error).message}`);
  }
}

function invalid(message: string): LedgerError {
  return new LedgerError('INVALID_GENESIS', message);
}
