import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto/node';
import type { HashDigest, PubKey } from '@jadechain/crypto';
import type { Ledger } from '@jadechain/ledger';
import { jsonLogger } from '@jadechain/service';
import { TransactionRequest, signHash, transactionHash } from '@jadechain/types';
import { ClusterMetrics, MAX_ANSWER_BYTES, PeerLinks, PeerTransactionsRequest, PeerTransactionsResponse, TransactionFetcher, serveTransactions, type ServedLedger } from '../src/cluster/index.js';
import { keyPair } from './cluster-fixture.js';

/**
 * Fetching transactions a proposal names: one answer carries at most MAX_ANSWER_BYTES of bodies,
 * so a transaction larger than that is still answered (alone), and the asker asks again for what
 * a full answer left out.
 */
const ledgerHash = cryptoSuite.hash('SHA256', new TextEncoder().encode('fetch test ledger'));
const signer = keyPair('fetch signer');
const account = keyPair('fetch account');
const MiB = 1024 * 1024;

/** A signed transaction whose one KV value is `valueBytes` long, with its hash and canonical bytes. */
function bulky(label: string, valueBytes: number): { hash: HashDigest; bytes: Uint8Array } {
  const content = {
    ledgerHash,
    operations: [{ type: 'KvSet' as const, account: account.publicKey.address(), writes: [{ key: label, value: { type: 'BYTES' as const, value: new Uint8Array(valueBytes).fill(7) }, expectedVersion: -1n }] }],
    timestamp: 1_700_000_000_000n,
    nonce: new TextEncoder().encode(`nonce-${label}`.padEnd(8, '-')),
  };
  const hash = transactionHash(cryptoSuite, 'SHA256', content);
  const bytes = TransactionRequest.encode({ content, endpointSignatures: [signHash(cryptoSuite, signer.privateKey, hash)], nodeSignatures: [] });
  return { hash, bytes };
}

/** A peer that holds `held`, as serveTransactions sees it (the ledger itself is not consulted). */
function holding(held: ReadonlyArray<{ hash: HashDigest; bytes: Uint8Array }>): Map<string, ServedLedger> {
  const byHash = new Map(held.map(({ hash, bytes }) => [hash.toBase58(), bytes] as const));
  return new Map([[ledgerHash.toBase58(), { ledger: {} as Ledger, transactionBytes: (hash: HashDigest) => byHash.get(hash.toBase58()) }]]);
}

function ask(ledgers: Map<string, ServedLedger>, hashes: readonly HashDigest[]): readonly Uint8Array[] {
  const body = PeerTransactionsRequest.encode({ ledgerHash, transactionHashes: hashes });
  return PeerTransactionsResponse.decode(serveTransactions(body, ledgers, new ClusterMetrics())).transactions;
}

describe('transaction fetch', () => {
  test('an answer stops at its byte budget, but always carries the first transaction found, however large', () => {
    const large = bulky('large', MAX_ANSWER_BYTES + 200_000);
    const small = bulky('small', 100);
    const ledgers = holding([large, small]);
    assert.deepEqual(ask(ledgers, [large.hash, small.hash]).map((bytes) => bytes.length), [large.bytes.length]);
    assert.deepEqual(ask(ledgers, [small.hash, large.hash]).map((bytes) => bytes.length), [small.bytes.length]);
    assert.deepEqual(ask(ledgers, [bulky('unknown', 10).hash]), []);
  });

  test('the fetcher asks again for what a full answer left out, and stops when a peer has nothing more', async () => {
    const held = ['a', 'b', 'c', 'd'].map((label) => bulky(label, 1.2 * MiB));
    const absent = bulky('absent', 10);
    const ledgers = holding(held);
    const requests: number[] = [];
    const links = {
      isConnected: () => true,
      request: async (_source: PubKey, _channel: number, body: Uint8Array) => {
        requests.push(PeerTransactionsRequest.decode(body).transactionHashes.length);
        return serveTransactions(body, ledgers, new ClusterMetrics());
      },
    } as unknown as PeerLinks;
    const admitted: number[] = [];
    const metrics = new ClusterMetrics();
    const fetcher = new TransactionFetcher({
      ledgerHash,
      links,
      metrics,
      logger: jsonLogger('peer', () => undefined),
      sources: () => [signer.publicKey],
      hashAlgorithm: () => 'SHA256',
      admit: async (bytes) => {
        admitted.push(bytes.length);
        return { admitted: true, transactionHash: held[0]?.hash as HashDigest };
      },
    });
    await fetcher.fetchFrom(signer.publicKey, [...held.map(({ hash }) => hash), absent.hash]);
    // 1.2 MiB each: two per 3 MiB answer, so three asks (5 hashes, then 3, then 1: the absent one brings nothing).
    assert.equal(admitted.length, 4);
    assert.equal(metrics.fetchAdmitted, 4);
    assert.deepEqual(requests, [5, 3, 1]);
  });
});
