import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cryptoSuite, HashDigest } from '@jadechain/crypto';
import { QueryResponse } from '@jadechain/service';
import type { Batcher } from '../src/batcher.js';
import type { NetworkView } from '../src/network-view.js';
import type { PeerLinks } from '../src/peer-links.js';
import { FinalityTracker } from '../src/results.js';
import { Submitter } from '../src/submitter.js';
import { adminKey, gatewayKey, signedTransaction } from './network.js';

// A full collection on demand, without starting the test runner with --expose-gc.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The ledger's crypto settings as a peer answers them: SHA-256 (JD code 0x2018). */
const CRYPTO_SETTINGS = JSON.stringify({ success: true, data: { hashAlgorithm: 0x2018, supportedProviders: [{ algorithms: [{ name: 'SHA256', code: 0x2018 }] }] } });

test('while a submission waits for its commit, the gateway no longer holds the decoded request', async () => {
  const ledgerHash = new HashDigest('SHA256', cryptoSuite.hash('SHA256', new TextEncoder().encode('retention')).raw);
  // One peer that answers the settings query and nothing else: no commit is ever reported.
  const links = {
    rotation: () => ['peer'],
    connected: () => ['peer'],
    requestTo: () => Promise.resolve(QueryResponse.encode({ status: 200, body: CRYPTO_SETTINGS })),
  } as unknown as PeerLinks;
  const view = { finalityOf: () => Promise.resolve({ size: { n: 1, f: 0, quorum: 1 } }), preferredFor: () => () => true } as unknown as NetworkView;
  const enqueued: Uint8Array[] = [];
  const batcher = { enqueue: (_ledger: HashDigest, bytes: Uint8Array) => enqueued.push(bytes) } as unknown as Batcher;
  const submitter = new Submitter(links, view, batcher, new FinalityTracker(silent), gatewayKey.privateKey, 300);

  let request: ReturnType<typeof signedTransaction> | undefined = signedTransaction(ledgerHash, [{ type: 'DataAccountRegister', address: adminKey.address, pubKey: adminKey.publicKey }]);
  const decoded = new WeakRef(request.content);
  const submission = submitter.submit(ledgerHash, request);
  request = undefined;
  while (enqueued.length === 0) await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  assert.equal(decoded.deref(), undefined, 'the request object graph outlived its co-signing');
  // No peer reports the commit: the wait runs out, the look-up finds nothing, the answer is TIMEOUT.
  assert.equal((await submission).kind, 'timeout');
});
