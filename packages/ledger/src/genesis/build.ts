import { HashDigest } from '@jadechain/crypto';
import type { CryptoSuite } from '@jadechain/crypto';
import { blockHash, emptyMerkleRoot, participantSetHash } from '@jadechain/types';
import type { BlockHeader, LedgerInitProposal, LedgerInitSignature } from '@jadechain/types';
import { StateAccess } from '../state/access.js';
import { emptyRoots, EMPTY_SOURCE } from '../state/empty.js';
import { finalizeState } from '../state/finalize.js';
import { rawHashFunction } from '../state/hashing.js';
import { ChangeLayer } from '../state/layer.js';
import { LedgerState } from '../state/records.js';
import { TreeKeys } from '../state/tree-keys.js';
import type { Totals } from '../exec/block-record.js';

/** The genesis block of a ledger: its header, whose hash is the ledger hash. */
export interface GenesisBlock {
  readonly proposal: LedgerInitProposal;
  /** The founding organisations' signatures, in canonical order. */
  readonly signatures: readonly LedgerInitSignature[];
  readonly header: BlockHeader;
  readonly ledgerHash: HashDigest;
}

/** The genesis block and the state it creates (for the ledger to store). */
export interface GenesisState {
  readonly block: GenesisBlock;
  readonly layer: ChangeLayer;
  readonly totals: Totals;
}

/**
 * Builds block 0 straight from the proposal (no transaction): the settings, the participants,
 * the roles, the genesis users and their roles, and the proposal itself, which is how the seed
 * and the creation time reach the ledger hash. No permission is checked: every organisation
 * signed all of it.
 */
export function buildGenesis(suite: CryptoSuite, proposal: LedgerInitProposal, signatures: readonly LedgerInitSignature[]): GenesisState {
  const algorithm = proposal.settings.crypto.hashAlgorithm;
  const stateHash = rawHashFunction(suite, algorithm);
  const layer = new ChangeLayer();
  const state = new LedgerState(new StateAccess(0, new TreeKeys(stateHash), [layer], EMPTY_SOURCE, new Map()));
  state.putInitProposal(proposal);
  state.putSettings(proposal.settings);
  state.putParticipants(proposal.participants);
  for (const role of proposal.roles) state.putRole(role);
  for (const user of proposal.genesisUsers) {
    const address = user.pubKey.address();
    state.registerUser({ address, pubKey: user.pubKey, state: 'NORMAL', ...(user.certificate === undefined ? {} : { certificate: user.certificate }) });
    if (user.roles.length > 0) state.putUserRoles({ userAddress: address, policy: user.policy, roles: user.roles });
  }
  const roots = finalizeState(stateHash, 0, layer, EMPTY_SOURCE, emptyRoots());
  const tagged = (root: Uint8Array): HashDigest => new HashDigest(algorithm, root);
  const header: BlockHeader = {
    height: 0n,
    timestamp: proposal.createdTime,
    transactionSetRoot: tagged(emptyMerkleRoot()),
    adminRoot: tagged(roots.admin),
    userRoot: tagged(roots.users),
    dataAccountRoot: tagged(roots.dataAccounts),
    contractRoot: tagged(roots.contracts),
    eventRoot: tagged(roots.eventAccounts),
    participantSetHash: participantSetHash(suite, algorithm, {
      participants: proposal.participants.filter((participant) => participant.state === 'CONSENSUS'),
    }),
    protocolVersion: proposal.settings.protocolVersion,
  };
  const totals = new Map(layer.counters);
  totals.set('transactions', 0);
  return { block: { proposal, signatures, header, ledgerHash: blockHash(suite, algorithm, header) }, layer, totals };
}
