// Shared by the examples: where the local network made by `npx jadechain up` keeps its files
// (./.jadechain-data, or $JADECHAIN_DIR), and what we trust from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoSuite, decryptPrivateKey, HashDigest, PubKey } from '@jadechain/crypto';

export const dir = process.env.JADECHAIN_DIR ?? '.jadechain-data';
const manifest = JSON.parse(readFileSync(join(dir, 'testnet.json'), 'utf8'));

export const gatewayUrl = manifest.gatewayUrl;
export const ledgerHash = HashDigest.fromBase58(manifest.ledgerHash);

/** The administrator's key, sealed with the development password of a local network. */
export function adminKey() {
  const password = new TextEncoder().encode(readFileSync(join(dir, 'dev-password'), 'utf8').trim());
  return decryptPrivateKey(cryptoSuite, JSON.parse(readFileSync(join(dir, 'keys', 'admin.key.json'), 'utf8')), password);
}

/** The ledger's consensus participants, from the genesis file: trusted because it is ours, not the gateway's. */
export function participants() {
  const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8'));
  return genesis.proposal.participants.map((participant) => ({ id: participant.id, pubKey: PubKey.fromBase58(participant.pubKey) }));
}
