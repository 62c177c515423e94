// Builds and signs all of a run's transactions before its clock starts, split over worker
// threads (one per core), and hands back each body (canonical bytes or JSON text) with its hash.
import { Worker } from 'node:worker_threads';

const WORKER = new URL('./sign-worker.mjs', import.meta.url);

/**
 * `plan`: { workload, ledgerHash (base58), signers (key bytes), accounts, tag, rate, timestamp (of
 * the first transaction, ms as text; the others are stamped when due), format: 'binary' | 'json' }.
 * Answers { bodies: Uint8Array[], hashes: string[] }.
 */
export async function generateTransactions(plan, count, workers) {
  const share = Math.ceil(count / workers);
  const slices = [];
  for (let from = 0; from < count; from += share) slices.push({ from, count: Math.min(share, count - from) });
  const parts = await Promise.all(
    slices.map(
      (slice) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(WORKER, { workerData: { plan, ...slice } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`signing worker exited with ${code}`)));
        }),
    ),
  );
  const bodies = [];
  for (const { joined, offsets } of parts) {
    for (let i = 0; i + 1 < offsets.length; i++) bodies.push(joined.subarray(offsets[i], offsets[i + 1]));
  }
  return { bodies, hashes: parts.map((part) => part.hashes).flat() };
}
