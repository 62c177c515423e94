// Fetches the proof of a KV entry and checks it offline, trusting only the ledger hash and the
// participants' keys from our own genesis file: a gateway that lies about the value is caught.
// Run with `node docs/examples/verify-proof.mjs ACCOUNT [KEY]`.
import { GatewayClient, ProofVerificationError, verifyKvProof } from '@jadechain/sdk';
import { gatewayUrl, ledgerHash, participants } from './network.mjs';

const [account, key = 'greeting'] = process.argv.slice(2);
if (account === undefined) throw new Error('usage: node docs/examples/verify-proof.mjs ACCOUNT [KEY]');

const client = new GatewayClient(gatewayUrl);
const proof = await client.getKvProof(ledgerHash, account, key);

try {
  const verified = verifyKvProof(proof, { ledgerHash, participants: participants(), account, key });
  // The entry is decoded from the proven bytes: a typed value {type, value}.
  const typed = verified.entry?.value;
  const value = typed === undefined ? 'absent' : `${JSON.stringify(String(typed.value))} (${typed.type}, version ${verified.entry.version})`;
  console.log(`verified: ${key} = ${value} at block ${verified.height} (${verified.blockHash.toBase58()}), signed by ${verified.signers} participant(s)`);
} catch (error) {
  if (error instanceof ProofVerificationError) {
    console.error(`NOT verified (${error.failure}): ${error.message}`);
    process.exit(1);
  }
  throw error;
}
