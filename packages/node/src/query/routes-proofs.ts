import { proveKvEntry } from '@jadechain/ledger';
import type { RecordProof } from '@jadechain/ledger';
import { BlockHeader, CommitCertificate, KvEntry, merkleProofToJson } from '@jadechain/types';
import { QueryError } from './errors.js';
import { base64, blockJson, kvEntryJson } from './json.js';
import type { JsonObject } from './json.js';
import { optionalNonNegative, parseAddress, requireText } from './params.js';
import type { Router } from './router.js';
import { blockAt } from './routes-blocks.js';

/**
 * JadeChain's addition: a KV entry's Merkle proof with the block header and commit certificate
 * it rests on, so that a client can check the value offline (verifyKvEntryProof).
 */
export function addProofRoutes(router: Router): void {
  router.ledger('/proofs/kv', (ledger, { query }) => {
    const account = parseAddress(requireText(query['account'], 'account'), 'account');
    const key = requireText(query['key'], 'key');
    const height = optionalNonNegative(query, 'height', ledger.tip.height);
    const block = blockAt(ledger, height);
    const view = ledger.view(height);
    const proof = proveKvEntry(view, account, key);
    const certificate = ledger.certificate(height);
    const entryRecord = proof.entry?.record;
    return {
      ledgerHash: ledger.ledgerHash.toBase58(),
      account: account.toBase58(),
      key,
      stateHashAlgorithm: view.context.stateHashAlgorithm,
      entry: entryRecord === undefined ? null : kvEntryJson(decodeEntry(entryRecord)),
      proof: { account: recordProofJson(proof.account), entry: proof.entry === undefined ? null : recordProofJson(proof.entry) },
      block: blockJson(block),
      header: BlockHeader.toJson(block.header),
      headerBytes: base64(BlockHeader.encode(block.header)),
      // The genesis block has no certificate: every founder signed the init proposal instead.
      certificate: certificate === undefined ? null : CommitCertificate.toJson(certificate),
      certificateBytes: certificate === undefined ? null : base64(CommitCertificate.encode(certificate)),
    };
  });
}

function recordProofJson(proof: RecordProof): JsonObject {
  return { record: proof.record === undefined ? null : base64(proof.record), proof: merkleProofToJson(proof.proof) as unknown as JsonObject };
}

function decodeEntry(bytes: Uint8Array): KvEntry {
  try {
    return KvEntry.decode(bytes);
  } catch (error) {
    throw new QueryError('INTERNAL_ERROR', `a proven KV record does not decode: ${(error as Error).message}`);
  }
}
