#!/usr/bin/env node
// Where a benchmark allocates: runs a bench script in this process under V8's sampling heap
// profiler, counting objects the collector has already freed too (short-lived garbage is what
// costs a busy peer its GC time), then prints the allocation sites by bytes, self and inclusive.
//
// Usage: node bench/alloc-profile.mjs [--within FRAME] SCRIPT [ARGS...]
//   e.g. node bench/alloc-profile.mjs --within "execute ledger.js" bench/ledger-exec.mjs 150 280 1
// FRAME keeps only samples with a frame whose "function file" label contains it. The profile is
// written to alloc.heapprofile in the working folder (open it in Chrome DevTools' Memory tab).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let within;
if (args[0] === '--within') {
  within = args[1];
  args.splice(0, 2);
}
const [script, ...scriptArgs] = args;
if (script === undefined) {
  console.error('usage: node bench/alloc-profile.mjs [--within FRAME] SCRIPT [ARGS...]');
  process.exit(2);
}

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
process.argv = [process.argv[0], resolve(script), ...scriptArgs];
await import(pathToFileURL(resolve(script)).href);
const { profile } = await session.post('HeapProfiler.stopSampling');
writeFileSync('alloc.heapprofile', JSON.stringify(profile));

const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/dist/src/').pop().split('node_modules/').pop();
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
};
const self = new Map();
const inclusive = new Map();
let total = 0;
const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
// Depth-first with an explicit stack: profiles of deep recursions would overflow a recursive walk.
const pending = [{ node: profile.head, stack: [] }];
while (pending.length > 0) {
  const { node, stack } = pending.pop();
  const frames = [...stack, label(node)];
  if (node.selfSize > 0 && (within === undefined || frames.some((frame) => frame.includes(within)))) {
    total += node.selfSize;
    add(self, frames.at(-1), node.selfSize);
    for (const frame of new Set(frames)) add(inclusive, frame, node.selfSize);
  }
  for (const child of node.children ?? []) pending.push({ node: child, stack: frames });
}
const top = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1).padStart(8)} MB`;
console.log(`\nallocated${within === undefined ? '' : ` within "${within}"`}: ${(total / 1e6).toFixed(0)} MB (profile in alloc.heapprofile)`);
console.log('by site (self):');
for (const [site, bytes] of top(self, 25)) console.log(`${mb(bytes)}  ${site}`);
console.log('by function and its callees (inclusive):');
for (const [site, bytes] of top(inclusive, 25)) console.log(`${mb(bytes)}  ${site}`);
