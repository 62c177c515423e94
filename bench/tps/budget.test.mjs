// Tests of the CPU budget (budget.mjs): perf's text read back, samples put in components, shares
// scaled by each process's CPU per transaction. The text below has the shape `perf script -F
// comm,pid,tid,ip,sym,dso` prints (perf 6.1): a header per sample, one frame per line, leaf first.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetLines, budgetOf, componentOf, perfScriptParser } from './budget.mjs';

const LMDB = '/w/node_modules/@lmdb/lmdb-linux-x64/node.abi115.glibc.node';
const SODIUM = '/w/node_modules/sodium-native/prebuilds/linux-x64/sodium-native.node';
const PERF_TEXT = `node 100/101
\t          1f00a fe25519_mul (${SODIUM})
\t          1f100 crypto_sign_verify_detached (${SODIUM})

node 100/100
\t         100cd03 v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot> (/usr/bin/node)
\t    7f82be2878ac JS:*execute file:///w/packages/ledger/dist/src/exec/execute.js:31:24 (/tmp/perf-100.map)

V8 DefaultWorke 100/102
\t        ffffffff8a copy_folio_from_iter_atomic ([kernel.kallsyms])
\t           97f88 mdb_put (${LMDB})
\t           52acf WriteWorker::DoWrites (${LMDB})

node 100/100
\t    7f82be05fbde JS:*encode file:///w/packages/types/dist/src/codec/codec.js:14:11 (/tmp/perf-100.map)
\t    7f82be05fc00 JS:*commitNow file:///w/packages/ledger/dist/src/ledger.js:129:20 (/tmp/perf-100.map)
\t    7f82be05fd00 JS:*input file:///w/packages/consensus/dist/src/bft/driver.js:126:10 (/tmp/perf-100.map)

node 200/200
\t        ffffffff8b tcp_sendmsg ([kernel.kallsyms])
\t          c4a588 uv__write (/usr/bin/node)

node 200/200
\t          1529a72 llhttp__internal_execute (/usr/bin/node)
\t    7f82be2321af JS:^onStreamRead node:internal/stream_base_commons:168:22 (/tmp/perf-200.map)

node 200/200
\t          1f00a fe25519_mul (${SODIUM})

node 999/999
\t          1f00a fe25519_mul (${SODIUM})

node 100/100
\t          2a000 SHA256_Transform (${SODIUM})

node 100/101
\t          2b000 SHA512_Transform (${SODIUM})

node 100/100
\t          b0c01d v8::Function::Call (/usr/bin/node)`;

function parse(text) {
  const parser = perfScriptParser();
  for (const line of text.split('\n')) parser.line(line);
  return parser.samples();
}

const PROCESSES = [
  { name: 'peer0', pid: 100 },
  { name: 'gateway', pid: 200 },
  { name: 'bench', pid: 300 },
];

describe('perf script text', () => {
  test('each sample with its process, thread and frames, leaf first; the last needs no blank line after it', () => {
    const samples = parse(PERF_TEXT);
    assert.equal(samples.length, 11);
    assert.deepEqual(samples[0], { pid: 100, tid: 101, frames: [{ symbol: 'fe25519_mul', dso: SODIUM }, { symbol: 'crypto_sign_verify_detached', dso: SODIUM }] });
    // A thread name with spaces ("V8 DefaultWorke") does not shift the ids.
    assert.equal(samples[2].tid, 102);
    assert.equal(samples[3].frames[1].symbol, 'JS:*commitNow file:///w/packages/ledger/dist/src/ledger.js:129:20');
    assert.deepEqual(samples[10].frames, [{ symbol: 'v8::Function::Call', dso: '/usr/bin/node' }]);
  });

  test('a sample without frames, and lines that are not frames, are left out', () => {
    const samples = parse('node 1/1\n\nnode 2/2\n\tnot a frame\n\nnode 3/3\n\t  abc f (/x)\n');
    assert.deepEqual(samples, [{ pid: 3, tid: 3, frames: [{ symbol: 'f', dso: '/x' }] }]);
  });
});

describe('components', () => {
  test('native code names its component; JavaScript takes the first listed component found anywhere on the stack', () => {
    assert.deepEqual(parse(PERF_TEXT).map(componentOf), [
      'Ed25519 (libsodium)',
      'garbage collection',
      'kernel, for LMDB (page writes, fsync)',
      // The commit wins over the codec at the leaf and the consensus callback above it.
      'ledger: commit (encoding the write set, LMDB calls)',
      'kernel, main thread (sockets, timers, scheduling)',
      'HTTP (Fastify, node:http)',
      'Ed25519 (libsodium)',
      'Ed25519 (libsodium)',
      // libsodium's SHA-256 hashes trees and transactions; its SHA-512 is Ed25519's own.
      'SHA-256 (trees, transaction and block hashes)',
      'Ed25519 (libsodium)',
      'main thread, elsewhere (event loop, promises, V8 runtime)',
    ]);
  });

  test('a thread that is not the main one, outside every component, is "other threads"', () => {
    assert.equal(componentOf({ pid: 1, tid: 2, frames: [{ symbol: 'start_thread', dso: 'libc.so.6' }] }), 'other threads (native)');
    assert.equal(componentOf({ pid: 1, tid: 2, frames: [{ symbol: 'mdb_page_search', dso: LMDB }] }), 'LMDB (its own code)');
    assert.equal(componentOf({ pid: 1, tid: 2, frames: [{ symbol: 'schedule', dso: '[kernel.kallsyms]' }] }), 'kernel, other threads');
  });
});

describe('budget', () => {
  const microsPerTx = new Map([
    ['peer0', 700],
    ['gateway', 300],
    ['bench', 60],
  ]);

  test("each process's samples are its µs per transaction, shared out by component; other processes' samples are ignored", () => {
    const { rows, samples } = budgetOf(parse(PERF_TEXT), PROCESSES, microsPerTx);
    assert.deepEqual([...samples], [['peer0', 7], ['gateway', 3]]);
    const row = (component) => Object.fromEntries(rows.find((each) => each.component === component).micros);
    // peer0: 7 samples for 700 µs, 100 µs each; gateway: 3 samples for 300 µs.
    assert.deepEqual(row('Ed25519 (libsodium)'), { peer0: 200, gateway: 100, bench: 0 });
    assert.deepEqual(row('SHA-256 (trees, transaction and block hashes)'), { peer0: 100, gateway: 0, bench: 0 });
    assert.deepEqual(row('garbage collection'), { peer0: 100, gateway: 0, bench: 0 });
    assert.equal(rows[0].component, 'Ed25519 (libsodium)');
    assert.equal(rows[0].total, 300);
    // Nothing is lost or counted twice: the rows add up to the processes that were sampled.
    assert.equal(rows.reduce((sum, { total }) => sum + total, 0), 1000);
  });

  test('the table: the peers as their mean, the other processes, the total; the last row is every process whole', () => {
    const processes = [{ name: 'peer0', pid: 100 }, { name: 'peer1', pid: 101 }, { name: 'gateway', pid: 200 }];
    const micros = new Map([['peer0', 400], ['peer1', 200], ['gateway', 100]]);
    const samples = [
      { pid: 100, tid: 100, frames: [{ symbol: 'fe25519_mul', dso: SODIUM }] },
      { pid: 101, tid: 101, frames: [{ symbol: 'fe25519_mul', dso: SODIUM }] },
      { pid: 200, tid: 200, frames: [{ symbol: 'JS:*report file:///w/packages/gateway/dist/src/tally.js:56:11', dso: '/tmp/perf-200.map' }] },
    ];
    const lines = budgetLines(budgetOf(samples, processes, micros), processes, micros);
    assert.match(lines[0], /each of 2 peers\s+gateway\s+total$/);
    assert.match(lines[1], /^ {2}Ed25519 \(libsodium\)\s+300\s+0\s+600$/);
    assert.match(lines[2], /^ {2}gateway: results and tallies\s+0\s+100\s+100$/);
    assert.match(lines[3], /^ {2}all\s+300\s+100\s+700$/);
    assert.equal(lines[4], '  (perf samples: peer0 1, peer1 1, gateway 1)');
  });
});
