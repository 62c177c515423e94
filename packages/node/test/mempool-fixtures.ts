import { PrivKey, cryptoSuite } from '@jadechain/crypto/node';
import type { HashDigest, KeyPair, PubKey, SignatureDigest } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import type { SignatureVerifier } from '@jadechain/ledger';
import { MemoryStore } from '@jadechain/storage';
import { signHash, transactionHash } from '@jadechain/types';
import type { TransactionRequest } from '@jadechain/types';

/** A one-participant ledger whose in-thread verifier counts its calls, and signed test transactions. */
export const suite = cryptoSuite;
export const GENESIS_TIME = 1_700_000_000_000n;
export const WINDOW_MS = 60_000n;

export function keyPair(label: string): KeyPair {
  const privateKey = new PrivKey('ED25519', suite.hash('SHA256', new TextEncoder().encode(`mempool-test:${label}`)).raw);
  return { privateKey, publicKey: suite.publicKeyOf(privateKey) };
}

export const participant = keyPair('participant');
const user = keyPair('user');
const gateway = keyPair('gateway');
const account = keyPair('account');

/** Verifies in the calling thread and counts: the mempool must leave it idle. */
export class CountingVerifier implements SignatureVerifier {
  calls = 0;

  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean {
    this.calls++;
    return suite.verify(publicKey, message, signature);
  }
}

export async function newLedger(verifier = new CountingVerifier(), maxTransactionBytes = 1 << 16): Promise<Ledger> {
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('mempool tests'),
    createdTime: GENESIS_TIME,
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: 'single', properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes, maxOperationsPerTransaction: 8, maxTransactionsPerBlock: 1000, maxBlockBytes: 1 << 24, maxValueBytes: 1 << 12 },
      timestampWindowMs: Number(WINDOW_MS),
    },
    participants: [{ id: 0, name: 'p0', address: participant.publicKey.address(), pubKey: participant.publicKey, state: 'CONSENSUS' }],
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
  return Ledger.initialize(new MemoryStore(), genesis, { suite, verifier });
}

let nonce = 0;

export interface TxOptions {
  readonly timestamp?: bigint;
  readonly forgeEndpoint?: boolean;
  readonly forgeNode?: boolean;
  readonly ledgerHash?: HashDigest;
}

/** A transaction that registers a fresh data account (the first) or writes one key of it. */
export function request(ledgerHash: HashDigest, key: string, options: TxOptions = {}): TransactionRequest {
  const operation =
    key === 'register'
      ? { type: 'DataAccountRegister' as const, address: account.publicKey.address(), pubKey: account.publicKey }
      : { type: 'KvSet' as const, account: account.publicKey.address(), writes: [{ key, value: { type: 'TEXT' as const, value: key }, expectedVersion: -1n }] };
  const content = {
    ledgerHash: options.ledgerHash ?? ledgerHash,
    operations: [operation],
    timestamp: options.timestamp ?? GENESIS_TIME + 1000n,
    nonce: new TextEncoder().encode(`nonce-${String(++nonce).padStart(8, '0')}`),
  };
  const hash = transactionHash(suite, 'SHA256', content);
  const forged = (keys: KeyPair): { pubKey: PubKey; signature: SignatureDigest } => ({ pubKey: keys.publicKey, signature: suite.sign(keys.privateKey, new TextEncoder().encode('not this')) });
  return {
    content,
    endpointSignatures: [options.forgeEndpoint === true ? forged(user) : signHash(suite, user.privateKey, hash)],
    nodeSignatures: [options.forgeNode === true ? forged(gateway) : signHash(suite, gateway.privateKey, hash)],
  };
}
