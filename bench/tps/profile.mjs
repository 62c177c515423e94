// Reads a V8 CPU profile (node --cpu-prof) and says where the time went: self time per function
// and per package, idle time apart (a peer waiting for work is not a cost).
//
//   node bench/tps/profile.mjs FILE.cpuprofile [top=25]
import { readFileSync } from 'node:fs';

/** Which part of the system a script belongs to: a workspace package, a dependency, Node itself or V8. */
export function ownerOf(url) {
  if (url === '') return '(V8 / native)';
  const workspace = /\/packages\/([^/]+)\//.exec(url);
  if (workspace !== null) return `@jadechain/${workspace[1]}`;
  const dependency = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dependency !== null) return dependency[1];
  if (url.startsWith('node:')) return 'node (core)';
  return url;
}

function functionNameOf({ functionName, url, lineNumber }) {
  return `${functionName || '(anonymous)'} ${url === '' ? '' : `${url.replace(/^.*\/(packages|node_modules)\//, '$1/')}:${lineNumber + 1}`}`.trim();
}

/**
 * Self time (ms) by function and by owner, and total time by function (the samples with it
 * anywhere on the stack), from a parsed profile, counting only the samples taken inside one of
 * `windows` ({ fromMs, toMs } after the profile started): start-up, set-up and shutdown are not
 * the steady state.
 */
export function selfTimes(profile, windows = [{ fromMs: 0, toMs: Infinity }]) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byNode = new Map();
  let atMs = 0;
  profile.samples.forEach((id, index) => {
    const deltaMs = (profile.timeDeltas[index] ?? 0) / 1000;
    atMs += deltaMs;
    if (windows.some(({ fromMs, toMs }) => atMs >= fromMs && atMs < toMs)) byNode.set(id, (byNode.get(id) ?? 0) + deltaMs);
  });
  const functions = new Map();
  const owners = new Map();
  const totals = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of byNode) {
    const { functionName, url } = nodes.get(id).callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    total += ms;
    const name = functionNameOf(nodes.get(id).callFrame);
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const onStack = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) onStack.add(functionNameOf(nodes.get(at).callFrame));
    for (const caller of onStack) totals.set(caller, (totals.get(caller) ?? 0) + ms);
    const owner = functionName.startsWith('(') ? functionName : ownerOf(url);
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
  }
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms, share: ms / total }));
  totals.delete('(root)');
  return { totalMs: total, idleMs: idle, functions: sorted(functions), owners: sorted(owners), totals: sorted(totals) };
}

/** The thread a profile file belongs to: node names them CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile. */
export function threadOf(file) {
  const match = /\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file);
  return match === null ? { pid: NaN, thread: NaN } : { pid: Number(match[1]), thread: Number(match[2]) };
}

export function formatProfile(file, { top = 25, windows } = {}) {
  const { totalMs, idleMs, functions, owners, totals } = selfTimes(JSON.parse(readFileSync(file, 'utf8')), windows);
  const percent = (share) => `${(100 * share).toFixed(1).padStart(5)} %`;
  const { thread } = threadOf(file);
  return [
    `${thread === 0 ? 'main thread' : `worker thread ${thread}`} (${file}): ${(totalMs / 1000).toFixed(1)} s busy, ${(idleMs / 1000).toFixed(1)} s idle`,
    '  self time by owner:',
    ...owners.slice(0, 12).map(({ name, share }) => `  ${percent(share)}  ${name}`),
    `  top ${top} functions by self time:`,
    ...functions.slice(0, top).map(({ name, share }) => `  ${percent(share)}  ${name}`),
    `  top ${top * 2} functions by total time (self and callees):`,
    ...totals.slice(0, top * 2).map(({ name, share }) => `  ${percent(share)}  ${name}`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top = '25', fromMs = '0', toMs = 'Infinity'] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: node bench/tps/profile.mjs FILE.cpuprofile [top] [fromMs] [toMs]');
  console.log(formatProfile(file, { top: Number(top), windows: [{ fromMs: Number(fromMs), toMs: Number(toMs) }] }));
}
