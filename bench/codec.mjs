#!/usr/bin/env node
// Prints encodes/s and decodes/s of a transaction of one KV write (the shape of the ledger's
// 20,000 tx/s aim), as content alone and as a signed request, plus its JSON form for comparison.
// Build first: npx tsc -b packages/types. Usage: node bench/codec.mjs [--seconds 1]
import os from 'node:os';
import { Address, HashDigest, PubKey, SignatureDigest } from '@jadechain/crypto';
import { TransactionContent, TransactionRequest } from '../packages/types/dist/src/index.js';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 1;

/** Runs fn repeatedly for about SECONDS (after a warm-up) and returns operations per second. */
function rate(fn) {
  for (let i = 0; i < 20_000; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 256; i++) fn();
    ops += 256;
    elapsed = process.hrtime.bigint() - start;
  }
  return (ops * 1e9) / Number(elapsed);
}

const bytes = (length, seed) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
const key = new PubKey('ED25519', bytes(32, 1));
const gatewayKey = new PubKey('ED25519', bytes(32, 2));
const content = {
  ledgerHash: new HashDigest('SHA256', bytes(32, 3)),
  operations: [
    {
      type: 'KvSet',
      account: Address.fromPublicKey(key),
      writes: [{ key: 'account:000123', value: { type: 'INT64', value: 1000n }, expectedVersion: 41n }],
    },
  ],
  timestamp: 1700000000000n,
  nonce: bytes(16, 4),
};
const request = {
  content,
  endpointSignatures: [{ pubKey: key, signature: new SignatureDigest('ED25519', bytes(64, 5)) }],
  nodeSignatures: [{ pubKey: gatewayKey, signature: new SignatureDigest('ED25519', bytes(64, 6)) }],
};

const contentBytes = TransactionContent.encode(content);
const requestBytes = TransactionRequest.encode(request);
const requestJson = TransactionRequest.toJsonText(request);

const rows = [
  ['content', 'encode', contentBytes.length, rate(() => TransactionContent.encode(content))],
  ['content', 'decode', contentBytes.length, rate(() => TransactionContent.decode(contentBytes))],
  ['request', 'encode', requestBytes.length, rate(() => TransactionRequest.encode(request))],
  ['request', 'decode', requestBytes.length, rate(() => TransactionRequest.decode(requestBytes))],
  ['request', 'toJsonText', requestJson.length, rate(() => TransactionRequest.toJsonText(request))],
  ['request', 'fromJsonText', requestJson.length, rate(() => TransactionRequest.fromJsonText(requestJson))],
];

console.log(`codec benchmark: one-KV-write transaction; node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, one thread`);
console.log('structure  operation      bytes         ops/s   µs/op');
for (const [structure, operation, size, perSecond] of rows) {
  console.log(
    `${structure.padEnd(10)} ${operation.padEnd(13)} ${String(size).padStart(6)} ${Math.round(perSecond).toLocaleString('en-US').padStart(13)} ${(1e6 / perSecond).toFixed(2).padStart(7)}`,
  );
}
