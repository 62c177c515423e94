// A worker thread that builds and signs one slice of a run's transactions (see generate.mjs), so
// that signing is done, on every core, before the clock starts.
import { parentPort, workerData } from 'node:worker_threads';
import { HashDigest, PrivKey, cryptoSuite } from '@jadechain/crypto';
import { TransactionBuilder } from '@jadechain/sdk';
import { TransactionRequest } from '@jadechain/types';
import { operationOf } from './workloads.mjs';

const { plan, from, count } = workerData;
const ledgerHash = HashDigest.fromBase58(plan.ledgerHash);
const signers = plan.signers.map((bytes) => PrivKey.fromBytes(bytes));
const encoder = new TextEncoder();
const firstTimestamp = Number(plan.timestamp);
/**
 * Each transaction is stamped with when it will be due (the run's start, guessed as now, plus its
 * place in the schedule), so that a run longer than the ledger's timestamp window still fits it.
 */
const timestampOf = (index) => BigInt(firstTimestamp + Math.floor((index * 1000) / plan.rate));

/** 16 bytes naming the transaction: unique per run tag and index, so no CSPRNG call per transaction. */
function nonceOf(index) {
  return cryptoSuite.hash('SHA256', encoder.encode(`${plan.tag}/nonce/${index}`)).raw.subarray(0, 16);
}

const bodies = [];
const hashes = [];
let bytes = 0;
for (let index = from; index < from + count; index++) {
  const builder = new TransactionBuilder({ ledgerHash, timestamp: timestampOf(index), nonce: nonceOf(index) });
  builder.add(operationOf(plan, index));
  const request = builder.sign(cryptoSuite, signers);
  const body = plan.format === 'json' ? encoder.encode(TransactionRequest.toJsonText(request)) : TransactionRequest.encode(request);
  bodies.push(body);
  hashes.push(builder.hash(cryptoSuite).toBase58());
  bytes += body.length;
}
// One buffer and its offsets cross to the main thread without copying each body.
const joined = new Uint8Array(bytes);
const offsets = new Uint32Array(count + 1);
for (let i = 0, at = 0; i < count; i++) {
  joined.set(bodies[i], at);
  at += bodies[i].length;
  offsets[i + 1] = at;
}
parentPort.postMessage({ joined, offsets, hashes }, [joined.buffer, offsets.buffer]);
