// Where each microsecond of a committed transaction goes, over every process of the run: Linux
// `perf` samples the whole machine during a measured window (on-CPU only, every thread: V8's
// --cpu-prof samples the wall clock, and on oversubscribed cores a preempted thread keeps being
// "seen" in the call that woke another), each sample is put in one component by its stack, and
// each process's share of samples is scaled by the CPU it used per committed transaction (from
// /proc, measured by the harness over the same window).
//
// Native components (Ed25519 in libsodium, garbage collection, V8's compilers, LMDB, the kernel)
// are named by the machine code itself and are exact. JavaScript is named through the map V8
// writes with --perf-basic-prof; V8 reuses the addresses of code it frees, and perf then may name
// a function by an older one that lived there, so the JavaScript rows are close, not exact.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** Sampling frequency per CPU: a prime, so sampling does not lock step with timers. */
const SAMPLE_HZ = 299;

/** Flags every peer and the gateway need for perf to name their JavaScript (and keep code where it was). */
export const PERF_NODE_FLAGS = ['--perf-basic-prof', '--no-compact-code-space'];

const GC = /Scaveng|MarkCompact|Heap::Collect|ConcurrentMark|IncrementalMarking|Sweeper|Evacuat|ArrayBufferSweeper|MinorMC|GCTracer/;
const COMPILER = /compiler::|Maglev|baseline::|Turbofan|OptimizingCompile|CompileLazy|Compiler::Compile/;
const ED25519 = /^(fe25519_|ge25519_|sc25519_|crypto_sign_|_?crypto_verify_)/;
/** SHA-256 in libsodium (short inputs: tree nodes) or OpenSSL (longer ones): trees, transaction and block hashes. */
const SHA256 = /SHA256_Transform|crypto_hash_sha256|sha256_block/i;

/**
 * JavaScript components, the first whose pattern matches any frame of the stack wins (so a
 * ledger commit under a consensus callback counts as the commit). Frames are perf's symbol text,
 * e.g. `JS:*commitNow file:///…/packages/ledger/dist/src/ledger.js:129:20`.
 */
export const JS_COMPONENTS = [
  ['ledger: commit (encoding the write set, LMDB calls)', /\bcommitNow\b|packages\/storage\/dist\/|node_modules\/lmdb\//],
  ['ledger: execution (operations, trees, hashing)', /packages\/ledger\/dist\/src\/(exec\/(execute|write-set|transaction-set|block-record)|state\/|merkle\/|ops\/|contracts\/)|packages\/contracts\/dist\//],
  ['admission (decode, hash, mempool, signature dispatch)', /packages\/node\/dist\/src\/mempool\/|\bhandleSubmit\b|ledger-host\.js|packages\/ledger\/dist\/src\/exec\/(validate|signature-cache)/],
  ['gateway: results and tallies', /packages\/gateway\/dist\/src\/(results|tally)\.js/],
  ['gateway: batches, co-signatures, peer links', /packages\/gateway\/dist\/src\/(submitter|batcher|peer-links)\.js/],
  ['HTTP (Fastify, node:http)', /node_modules\/(fastify|@fastify|find-my-way|fast-json-stringify)\/|node:_http_|packages\/gateway\/dist\/src\/http\.js|llhttp/],
  ['consensus', /packages\/consensus\/dist\//],
  ['p2p framing, TLS, sockets', /packages\/p2p\/dist\/|node:net|node:tls|node:_tls_|stream_base_commons/],
  ['codec (elsewhere)', /packages\/types\/dist\/src\/(codec|model)\//],
  ['load generator', /\/bench\/tps\//],
];

/**
 * Parses `perf script -F comm,pid,tid,ip,sym,dso` text, one line at a time: a header line
 * `comm pid/tid` then one indented `ip symbol (dso)` line per frame, leaf first; a blank line ends
 * a sample. Answers a line consumer and a function giving the samples so far.
 */
export function perfScriptParser() {
  const samples = [];
  let current;
  const end = () => {
    if (current !== undefined && current.frames.length > 0) samples.push(current);
    current = undefined;
  };
  const line = (text) => {
    if (text.trim() === '') return end();
    if (!/^\s/.test(text)) {
      end();
      const header = /(\d+)\/(\d+)\s*$/.exec(text);
      if (header !== null) current = { pid: Number(header[1]), tid: Number(header[2]), frames: [] };
      return undefined;
    }
    const frame = /^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/.exec(text);
    if (current !== undefined && frame !== null) current.frames.push({ symbol: frame[1], dso: frame[2] });
    return undefined;
  };
  return { line, samples: () => (end(), samples) };
}

/** The component one sample's CPU time belongs to. */
export function componentOf({ pid, tid, frames }) {
  const leaf = frames[0];
  // libsodium's frames carry no frame pointers: a sample in it shows the leaf only, so the leaf decides.
  if (SHA256.test(leaf.symbol)) return 'SHA-256 (trees, transaction and block hashes)';
  if (leaf.dso.includes('sodium') || ED25519.test(leaf.symbol)) return 'Ed25519 (libsodium)';
  if (frames.some(({ symbol }) => GC.test(symbol))) return 'garbage collection';
  if (frames.some(({ symbol }) => COMPILER.test(symbol))) return "V8's compilers";
  const kernel = leaf.dso.includes('kernel');
  if (frames.some(({ dso }) => dso.includes('lmdb'))) return kernel ? 'kernel, for LMDB (page writes, fsync)' : 'LMDB (its own code)';
  if (kernel) return pid === tid ? 'kernel, main thread (sockets, timers, scheduling)' : 'kernel, other threads';
  for (const [name, pattern] of JS_COMPONENTS) if (frames.some(({ symbol }) => pattern.test(symbol))) return name;
  return pid === tid ? 'main thread, elsewhere (event loop, promises, V8 runtime)' : 'other threads (native)';
}

/**
 * The budget: for each component, the microseconds of CPU per committed transaction it took in
 * each process. `processes`: [{ name, pid }]; `microsPerTx`: name → µs of CPU per committed
 * transaction over the window. Rows sorted by their total, largest first; a process without
 * samples contributes nothing.
 */
export function budgetOf(samples, processes, microsPerTx) {
  const nameOf = new Map(processes.map(({ name, pid }) => [pid, name]));
  const counts = new Map();
  const totals = new Map();
  for (const sample of samples) {
    const name = nameOf.get(sample.pid);
    if (name === undefined) continue;
    totals.set(name, (totals.get(name) ?? 0) + 1);
    const component = componentOf(sample);
    const row = counts.get(component) ?? new Map();
    row.set(name, (row.get(name) ?? 0) + 1);
    counts.set(component, row);
  }
  const rows = [...counts].map(([component, row]) => {
    const micros = new Map(processes.map(({ name }) => [name, ((row.get(name) ?? 0) / (totals.get(name) || 1)) * (microsPerTx.get(name) ?? 0)]));
    return { component, micros, total: [...micros.values()].reduce((sum, value) => sum + value, 0) };
  });
  rows.sort((a, b) => b.total - a.total || a.component.localeCompare(b.component));
  return { rows, samples: totals };
}

/** The budget as a table: one column per process (peers as their mean when there are several), then the total. */
export function budgetLines({ rows, samples }, processes, microsPerTx) {
  const peers = processes.filter(({ name }) => name.startsWith('peer')).map(({ name }) => name);
  const others = processes.filter(({ name }) => !name.startsWith('peer')).map(({ name }) => name);
  const peerHeading = peers.length > 1 ? `each of ${peers.length} peers` : (peers[0] ?? 'peer');
  const mean = (micros) => (peers.length === 0 ? 0 : peers.reduce((sum, name) => sum + (micros.get(name) ?? 0), 0) / peers.length);
  const cell = (value) => Math.round(value).toLocaleString('en-US').padStart(9);
  const width = Math.max(...rows.map(({ component }) => component.length), 10);
  const lines = [`  ${'µs of CPU per committed transaction'.padEnd(width)} ${[peerHeading, ...others].map((name) => name.padStart(9)).join(' ')}     total`];
  for (const { component, micros, total } of rows) lines.push(`  ${component.padEnd(width)} ${[mean(micros), ...others.map((name) => micros.get(name) ?? 0)].map(cell).join(' ')} ${cell(total)}`);
  const all = new Map(processes.map(({ name }) => [name, microsPerTx.get(name) ?? 0]));
  lines.push(`  ${'all'.padEnd(width)} ${[mean(all), ...others.map((name) => all.get(name))].map(cell).join(' ')} ${cell([...all.values()].reduce((sum, value) => sum + value, 0))}`);
  lines.push(`  (perf samples: ${processes.map(({ name }) => `${name} ${samples.get(name) ?? 0}`).join(', ')})`);
  return lines;
}

/** Whether `perf` can be run here; the reason when not. */
export async function perfUnavailable() {
  return new Promise((resolve) => {
    const child = spawn('perf', ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolve('perf is not installed (Debian: apt-get install linux-perf)'));
    child.once('exit', (code) => resolve(code === 0 ? undefined : `perf --version exited with ${code}`));
  });
}

/**
 * Records the whole machine for `seconds` after `delayMs` into `file` (`perf record -a -g`).
 * Rejects with perf's own words when it fails. Reading the file back is a separate step
 * (readRecording), left until the run is over: `perf script` takes a core for a while.
 */
export async function recordMachine({ file, seconds, delayMs }) {
  await sleep(delayMs);
  await run('perf', ['record', '-F', String(SAMPLE_HZ), '-a', '-g', '-o', file, '--', 'sleep', String(seconds)]);
}

/** The samples of a recording made by recordMachine; the file is removed after. */
export async function readRecording(file) {
  const parser = perfScriptParser();
  try {
    await run('perf', ['script', '-i', file, '-F', 'comm,pid,tid,ip,sym,dso'], parser.line);
  } finally {
    rmSync(file, { force: true });
  }
  return parser.samples();
}

function run(command, args, onLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', onLine === undefined ? 'ignore' : 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors = (errors + chunk).slice(-2000)));
    if (onLine !== undefined) createInterface({ input: child.stdout }).on('line', onLine);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args[0]} exited with ${code}: ${errors.trim()}`))));
  });
}
