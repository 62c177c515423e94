import { parentPort } from 'node:worker_threads';
import { verifyTask } from './verify-task.js';
import { decodeBatch } from './wire.js';
import type { BatchReply, BatchRequest } from './wire.js';

/** A signature-verification worker: verifies each batch it receives with the node backend (sodium-native for Ed25519). */

const port = parentPort;
if (port === null) throw new Error('verify-worker.js runs only as a worker thread');

port.on('message', (request: BatchRequest) => {
  const tasks = decodeBatch(request.buffer);
  const verdicts = new Uint8Array(tasks.length);
  tasks.forEach((task, index) => {
    verdicts[index] = verifyTask(task) ? 1 : 0;
  });
  const reply: BatchReply = { id: request.id, verdicts };
  port.postMessage(reply, [verdicts.buffer]);
});
