import { PrivKey, PubKey, backend, cryptoSuite } from '@jadechain/crypto';
import { GatewayClient, ProofVerificationError, TransactionBuilder, Values, verifyKvProof } from '@jadechain/sdk';

/**
 * What the browser test runs inside Chromium (loaded as an ES module through an import map, not
 * by Node's test runner): build and sign a transaction with the pure crypto backend, submit it
 * to a real gateway across origins, and verify the value's KV proof offline.
 */
export interface ScenarioInput {
  readonly gatewayUrl: string;
  readonly ledgerHash: string;
  readonly participant: string;
  readonly adminKeySeed: readonly number[];
}

export interface ScenarioOutput {
  readonly backend: string;
  readonly state: string;
  readonly provenValue: unknown;
  readonly provenHeight: string;
  readonly signers: number;
  readonly tamperedFailure: string;
}

export async function runScenario(input: ScenarioInput): Promise<ScenarioOutput> {
  const client = new GatewayClient(input.gatewayUrl);
  const admin = new PrivKey('ED25519', Uint8Array.from(input.adminKeySeed));
  const data = cryptoSuite.generateKeyPair('ED25519');
  const account = data.publicKey.address();
  const ledgers = await client.ledgers();
  const ledgerHash = ledgers.find((hash) => hash.toBase58() === input.ledgerHash);
  if (ledgerHash === undefined) throw new Error('the gateway does not serve the ledger');
  const request = new TransactionBuilder({ ledgerHash }).registerDataAccount(data.publicKey).setKv(account, 'color', Values.text('jade')).sign(cryptoSuite, [admin]);
  const result = await client.submitAndWait(request);
  const proof = await client.getKvProof(ledgerHash, account, 'color');
  const trust = { ledgerHash, participants: [PubKey.fromBase58(input.participant)], account, key: 'color' };
  const verified = verifyKvProof(proof, trust);
  let tamperedFailure = 'accepted';
  try {
    verifyKvProof({ ...proof, entry: { ...proof.entry, value: 'ruby' } }, trust);
  } catch (error) {
    tamperedFailure = error instanceof ProofVerificationError ? error.failure : String(error);
  }
  return {
    backend: backend.name,
    state: result.state,
    provenValue: verified.entry?.value,
    provenHeight: verified.height.toString(),
    signers: verified.signers,
    tamperedFailure,
  };
}
