#!/usr/bin/env node
// Where a benchmark allocates: runs a bench script in this process under V8's sampling heap
// profiler, counting objects the collector has already freed too (short-lived garbage is what
// costs a busy peer its GC time), then prints the allocation sites by bytes, self and inclusive.
// Or attaches to a running Node process (a peer of a `bench:tps` network) for some seconds.
//
// Usage: node bench/alloc-profile.mjs [--within FRAME] [--live] SCRIPT [ARGS...]
//        node bench/alloc-profile.mjs [--within FRAME] [--live] --pid PID [--seconds S]
//   e.g. node bench/alloc-profile.mjs --within "execute ledger.js" bench/ledger-exec.mjs 150 280 1
// FRAME keeps only samples with a frame whose "function file" label contains it. --live counts
// only what is still alive when sampling stops: what the process holds on to (pools, caches,
// pending blocks), by the site that allocated it — what survives to the old generation. The profile is
// written to alloc.heapprofile in the working folder (open it in Chrome DevTools' Memory tab).
// --pid sends the process SIGUSR1, which opens Node's inspector on 127.0.0.1:9229 (one process
// at a time), and leaves it open: the process is not meant to outlive the benchmark.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';

const SAMPLING = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
const LIVE_SAMPLING = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: false, includeObjectsCollectedByMinorGC: false };
const INSPECTOR = 'http://127.0.0.1:9229';

// Options come before the script: whatever follows it is the script's own.
const args = process.argv.slice(2);
const options = { seconds: '20', live: false };
while (['--within', '--pid', '--seconds', '--live'].includes(args[0] ?? '')) {
  const name = args.shift().slice(2);
  options[name] = name === 'live' ? true : args.shift();
}
const sampling = options.live ? LIVE_SAMPLING : SAMPLING;
const within = options.within;
const [script, ...scriptArgs] = args;
const USAGE = 'usage: node bench/alloc-profile.mjs [--within FRAME] [--live] SCRIPT [ARGS...] | [--within FRAME] [--live] --pid PID [--seconds S]';
const positiveInteger = (name) => {
  const value = Number(options[name]);
  if (Number.isInteger(value) && value > 0) return value;
  console.error(`--${name} ${options[name] ?? '(missing)'}: not a positive whole number\n${USAGE}`);
  process.exit(2);
};
if (script === undefined && options.pid === undefined) {
  console.error(USAGE);
  process.exit(2);
}

const profile = options.pid === undefined ? await profileScript() : await profileProcess(positiveInteger('pid'), positiveInteger('seconds'));
writeFileSync('alloc.heapprofile', JSON.stringify(profile));

async function profileScript() {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', sampling);
  process.argv = [process.argv[0], resolve(script), ...scriptArgs];
  await import(pathToFileURL(resolve(script)).href);
  return (await session.post('HeapProfiler.stopSampling')).profile;
}

/** The same sampling, over the inspector protocol of another process, for `seconds`. */
async function profileProcess(pid, seconds) {
  process.kill(pid, 'SIGUSR1');
  let target;
  for (let attempt = 0; target === undefined && attempt < 50; attempt++) {
    await sleep(100);
    target = await globalThis.fetch(`${INSPECTOR}/json/list`).then((answer) => answer.json(), () => undefined);
  }
  if (target?.[0]?.webSocketDebuggerUrl === undefined) throw new Error(`process ${pid} opened no inspector on ${INSPECTOR}`);
  const socket = new WebSocket(target[0].webSocketDebuggerUrl);
  await new Promise((done, fail) => socket.once('open', done).once('error', fail));
  let nextId = 1;
  const waiting = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const answer = waiting.get(message.id);
    if (answer === undefined) return;
    waiting.delete(message.id);
    if (message.error !== undefined) answer.fail(new Error(message.error.message));
    else answer.done(message.result);
  });
  const post = (method, params = {}) =>
    new Promise((done, fail) => {
      const id = nextId++;
      waiting.set(id, { done, fail });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', sampling);
  await sleep(seconds * 1000);
  const { profile: sampled } = await post('HeapProfiler.stopSampling');
  socket.close();
  return sampled;
}

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
console.log(`\n${options.live ? 'allocated and still alive' : 'allocated'}${within === undefined ? '' : ` within "${within}"`}: ${(total / 1e6).toFixed(0)} MB (profile in alloc.heapprofile)`);
console.log('by site (self):');
for (const [site, bytes] of top(self, 25)) console.log(`${mb(bytes)}  ${site}`);
console.log('by function and its callees (inclusive):');
for (const [site, bytes] of top(inclusive, 25)) console.log(`${mb(bytes)}  ${site}`);
