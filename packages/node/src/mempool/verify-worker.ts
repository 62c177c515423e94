import { parentPort } from 'node:worker_threads';
import { PubKey, SignatureDigest, cryptoSuite } from '@jadechain/crypto/node';
import { decodeBatch } from './wire.js';
import type { BatchReply, BatchRequest, EncodedTask } from './wire.js';

/** A signature-verification worker: verifies each batch it receives with the node backend (sodium-native for Ed25519). */

function verify(task: EncodedTask): boolean {
  try {
    return cryptoSuite.verify(PubKey.fromBytes(task.publicKey), task.message, SignatureDigest.fromBytes(task.signature));
  } catch {
    // A key or signature that does not decode (unknown algorithm, wrong length) is not a valid signature.
    return false;
  }
}

const port = parentPort;
if (port === null) throw new Error('verify-worker.js runs only as a worker thread');

port.on('message', (request: BatchRequest) => {
  const tasks = decodeBatch(request.buffer);
  const verdicts = new Uint8Array(tasks.length);
  tasks.forEach((task, index) => {
    verdicts[index] = verify(task) ? 1 : 0;
  });
  const reply: BatchReply = { id: request.id, verdicts };
  port.postMessage(reply, [verdicts.buffer]);
});
