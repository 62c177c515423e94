// A worker thread that verifies Ed25519 signatures on the node backend (libsodium) for a given
// time and reports how many it verified: the ceiling's verification rate (ceiling.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { backend } from '@jadechain/crypto/node';

const ed25519 = backend.signature('ED25519');
const SIGNATURES = 256;
// A transaction hash as signed (algorithm tag + 32 bytes), one distinct message per signature.
const samples = Array.from({ length: SIGNATURES }, (_, index) => {
  const keys = ed25519.generateKeyPair();
  const message = new Uint8Array(34).fill(index & 0xff);
  return { publicKey: keys.publicKey, message, signature: ed25519.sign(keys.privateKey, message) };
});

// Every worker starts a sample when the main thread says so, so their rates overlap in time.
parentPort.on('message', () => {
  let verified = 0;
  const started = performance.now();
  const until = started + workerData.seconds * 1000;
  while (performance.now() < until) {
    for (const { publicKey, message, signature } of samples) {
      if (!ed25519.verify(publicKey, message, signature)) throw new Error('a valid signature did not verify');
    }
    verified += SIGNATURES;
  }
  parentPort.postMessage({ verified, seconds: (performance.now() - started) / 1000 });
});
parentPort.postMessage('ready');
