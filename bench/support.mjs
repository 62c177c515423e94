// Shared set-up of the benchmarks that run a ledger in-process: deterministic keys and a
// one-participant genesis whose user may register data accounts and write to them.
import { PrivKey, cryptoSuite as suite } from '@jadechain/crypto/node';
import { combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';

export const GENESIS_TIME = 1_700_000_000_000n;

/** An Ed25519 key pair derived from a label, so runs are repeatable. */
export function keys(label) {
  const privateKey = new PrivKey('ED25519', suite.hash('SHA256', new TextEncoder().encode(label)).raw);
  const publicKey = suite.publicKeyOf(privateKey);
  return { privateKey, publicKey, address: publicKey.address() };
}

/**
 * A genesis with one participant, a user holding WRITER (register and write data accounts) and a
 * gateway holding APPROVE_TX.
 */
export function benchGenesis(seedText, consensusProvider) {
  const participant = keys('bench-participant');
  const user = keys('bench-user');
  const gateway = keys('bench-gateway');
  const proposal = createInitProposal({
    seed: new TextEncoder().encode(seedText),
    createdTime: GENESIS_TIME,
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: consensusProvider, properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes: 1 << 20, maxOperationsPerTransaction: 16, maxTransactionsPerBlock: 10_000, maxBlockBytes: 256 << 20, maxValueBytes: 1 << 16 },
      timestampWindowMs: 3_600_000,
    },
    participants: [{ id: 0, name: 'p0', address: participant.address, pubKey: participant.publicKey, state: 'CONSENSUS' }],
    genesisUsers: [
      { pubKey: user.publicKey, roles: ['WRITER'], policy: 'UNION' },
      { pubKey: gateway.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'WRITER', ledgerPermissions: ['REGISTER_DATA_ACCOUNT', 'WRITE_DATA_ACCOUNT'], transactionPermissions: ['DIRECT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  const genesis = combineInit(suite, proposal, [signInitProposal(suite, proposal, participant.privateKey)]);
  return { participant, user, gateway, genesis };
}
