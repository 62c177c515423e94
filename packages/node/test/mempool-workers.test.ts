import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureDigest } from '@jadechain/crypto';
import type { SignatureTask } from '@jadechain/ledger';
import { MempoolError, SignatureWorkerPool } from '../src/mempool/index.js';
import { decodeBatch, encodeBatch } from '../src/mempool/wire.js';
import { keyPair, suite } from './mempool-fixtures.js';

const signerKeys = [keyPair('w0'), keyPair('w1'), keyPair('w2')];

/** Signed tasks; every third one carries a signature of another message. */
function tasks(count: number): { tasks: SignatureTask[]; expected: boolean[] } {
  const list: SignatureTask[] = [];
  const expected: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const keys = signerKeys[i % signerKeys.length] ?? keyPair('w0');
    const message = new TextEncoder().encode(`message ${i}`);
    const valid = i % 3 !== 1;
    const signature = suite.sign(keys.privateKey, valid ? message : new TextEncoder().encode(`other ${i}`));
    list.push({ message, publicKey: keys.publicKey, signature });
    expected.push(valid);
  }
  return { tasks: list, expected };
}

describe('signature worker pool', () => {
  test('batches round-trip through one buffer unchanged', () => {
    const { tasks: list } = tasks(5);
    const encoded = list.map((task) => ({ message: task.message, publicKey: task.publicKey.toBytes(), signature: task.signature.toBytes() }));
    const decoded = decodeBatch(encodeBatch(encoded));
    assert.deepEqual(decoded.map((task) => [Buffer.from(task.message), Buffer.from(task.publicKey), Buffer.from(task.signature)]), encoded.map((task) => [Buffer.from(task.message), Buffer.from(task.publicKey), Buffer.from(task.signature)]));
    const truncated = encodeBatch(encoded).slice(0, 20);
    assert.throws(() => decodeBatch(truncated), RangeError);
  });

  test('verifies in worker threads, in batches spread over the workers, with every verdict in its place', async () => {
    const pool = new SignatureWorkerPool({ workers: 2, maxBatch: 7, inlineBelow: 1 });
    try {
      const first = tasks(50);
      const second = tasks(9);
      const [a, b, empty] = await Promise.all([pool.verifyAll(first.tasks), pool.verifyAll(second.tasks), pool.verifyAll([])]);
      assert.deepEqual(a, first.expected);
      assert.deepEqual(b, second.expected);
      assert.deepEqual(empty, []);
      // A signature that does not even fit its algorithm is invalid, not an error.
      const [task] = first.tasks;
      assert.ok(task !== undefined);
      const short = { ...task, signature: new SignatureDigest('ED25519', new Uint8Array(64)) };
      assert.deepEqual(await pool.verifyAll([short]), [false]);
    } finally {
      await pool.close();
    }
  });

  test('after close, queued and new calls reject with VERIFIER_CLOSED', async () => {
    const pool = new SignatureWorkerPool({ workers: 1 });
    const pending = assert.rejects(pool.verifyAll(tasks(3).tasks), (error: MempoolError) => error.code === 'VERIFIER_CLOSED');
    await pool.close();
    await pending;
    await assert.rejects(pool.verifyAll(tasks(1).tasks), (error: MempoolError) => error.code === 'VERIFIER_CLOSED');
    await pool.close();
    assert.throws(() => new SignatureWorkerPool({ workers: 0 }), (error: MempoolError) => error.code === 'INVALID_CONFIG');
  });

  test('an idle pool that nobody closed does not keep the process alive', () => {
    const child = runScript(`
      const pair = cryptoSuite.generateKeyPair('ED25519');
      const message = new TextEncoder().encode('hello');
      const pool = new SignatureWorkerPool({ workers: 2, inlineBelow: 1 });
      const verdicts = await pool.verifyAll([{ message, publicKey: pair.publicKey, signature: cryptoSuite.sign(pair.privateKey, message) }]);
      console.log(JSON.stringify(verdicts));`);
    assert.equal(child.stdout.trim(), '[true]');
  });

  test('workers that cannot start make calls fail with VERIFIER_FAILED instead of respawning forever', () => {
    // Workers inherit the parent's flags; --input-type is refused by a worker, so each one dies at start.
    const child = runScript(
      `
      const pair = cryptoSuite.generateKeyPair('ED25519');
      const pool = new SignatureWorkerPool({ workers: 2, inlineBelow: 1 });
      const message = new TextEncoder().encode('x');
      const outcome = await pool.verifyAll([{ message, publicKey: pair.publicKey, signature: cryptoSuite.sign(pair.privateKey, message) }]).then(() => 'verified', (error) => error.code);
      const again = await pool.verifyAll([{ message, publicKey: pair.publicKey, signature: cryptoSuite.sign(pair.privateKey, message) }]).then(() => 'verified', (error) => error.code);
      console.log(outcome, again);`,
      ['--input-type=module'],
    );
    assert.equal(child.stdout.trim(), 'VERIFIER_FAILED VERIFIER_FAILED');
  });

  test('fewer signatures than inlineBelow are verified in the calling thread, with every verdict right; more go to the workers', () => {
    // The workers die at start (as above), so only the calling thread can have verified the small call.
    const child = runScript(
      `
      const pair = cryptoSuite.generateKeyPair('ED25519');
      const pool = new SignatureWorkerPool({ workers: 1, inlineBelow: 4 });
      const task = (text, valid) => {
        const message = new TextEncoder().encode(text);
        return { message, publicKey: pair.publicKey, signature: cryptoSuite.sign(pair.privateKey, valid ? message : new TextEncoder().encode('other')) };
      };
      const small = await pool.verifyAll([task('a', true), task('b', false), task('c', true)]);
      const large = await pool.verifyAll([task('a', true), task('b', true), task('c', true), task('d', true)]).then(() => 'verified', (error) => error.code);
      console.log(JSON.stringify(small), large);`,
      ['--input-type=module'],
    );
    assert.equal(child.stdout.trim(), '[true,false,true] VERIFIER_FAILED');
  });
});

/** Runs an ES module script (with the pool and the crypto suite in scope) in a child process; it must exit by itself. */
function runScript(body: string, flags: readonly string[] = []): { stdout: string } {
  const header = `
    const { SignatureWorkerPool } = await import(${JSON.stringify(new URL('../src/mempool/index.js', import.meta.url).href)});
    const { cryptoSuite } = await import(${JSON.stringify(import.meta.resolve('@jadechain/crypto/node'))});`;
  const args = flags.includes('--input-type=module') ? [...flags, '-e', header + body] : writeModule(header + body);
  // The timeout only guards the test run against a hang; the assertion is on the exit itself.
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.signal, null, 'the process had to be killed: the pool kept it alive');
  assert.equal(child.status, 0, child.stderr);
  return { stdout: child.stdout };
}

function writeModule(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-pool-'));
  const file = join(dir, 'script.mjs');
  writeFileSync(file, source);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return [file];
}
