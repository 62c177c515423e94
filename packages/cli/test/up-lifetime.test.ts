import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, threeFreePorts } from './helpers.js';

/**
 * The children of `jadechain up` never outlive it, however it ends: killed outright (SIGKILL runs
 * nothing of `up`: each child sees its IPC channel to `up` close and stops), hung up on (SIGHUP
 * stops them cleanly, as SIGTERM does), or signalled again while a child hangs in its stop (every
 * child is killed). One single-peer network, run by a fresh `up` in each test.
 */
const BIN = fileURLToPath(new URL('../../bin/jadechain.js', import.meta.url));
const READY_TIMEOUT_MS = 45_000;
const GONE_WITHIN_MS = 5_000;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface RunningUp {
  /** Each child's pid, by name (`peer0`, `gateway`), as `up` printed them. */
  readonly pids: ReadonlyMap<string, number>;
  readonly exited: Promise<Exit>;
  signal(signal: NodeJS.Signals): void;
  /** Resolves once `up` has printed `text`. */
  printed(text: string): Promise<void>;
  output(): string;
}

/** What the tests started and have not seen gone, killed after them whatever they left behind. */
const ups: ChildProcess[] = [];
const children = new Set<number>();

/** Runs `up` on `dir` until it prints that the network is up. */
async function startUp(dir: string): Promise<RunningUp> {
  const up = spawn(process.execPath, [BIN, 'up', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  ups.push(up);
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const wake of waiters) wake();
  };
  up.stdout.on('data', collect);
  up.stderr.on('data', collect);
  const exited = new Promise<Exit>((resolve) => up.once('exit', (code, signal) => resolve({ code, signal })));
  const printed = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`up did not print "${text}":\n${output}`)), READY_TIMEOUT_MS);
      const check = (): void => {
        if (!output.includes(text)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  await Promise.race([printed('JadeChain is up'), exited.then(() => Promise.reject(new Error(`up exited early:\n${output}`)))]);
  const pids = new Map([...output.matchAll(/started (\S+) \(pid (\d+)\)/g)].map(([, name, pid]) => [name ?? '', Number(pid)]));
  for (const pid of pids.values()) children.add(pid);
  assert.deepEqual([...pids.keys()].sort(), ['gateway', 'peer0'], output);
  return { pids, exited, signal: (signal) => up.kill(signal), printed, output: () => output };
}

/** Whether `pid` runs; a zombie (exited, not yet reaped by whoever adopted it) has gone. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function assertAllGone(up: RunningUp): Promise<void> {
  const deadline = Date.now() + GONE_WITHIN_MS;
  while ([...up.pids.values()].some(running) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of up.pids.values()) if (!running(pid)) children.delete(pid);
  const left = [...up.pids].filter(([, pid]) => children.has(pid)).map(([name, pid]) => `${name} (pid ${pid})`);
  assert.deepEqual(left, [], `still running ${GONE_WITHIN_MS} ms after up went:\n${up.output()}`);
}

describe('jadechain up leaves no child running', () => {
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-up-lifetime-'));
    const ports = await threeFreePorts();
    const init = await run(['testnet', 'init', '--dir', dir, '--peers', '1', '--peer-port', String(ports), '--port', String(ports + 2)]);
    assert.equal(init.code, 0, init.stderr);
  });

  after(() => {
    for (const up of ups) if (up.exitCode === null && up.signalCode === null) up.kill('SIGKILL');
    // Only pids never seen gone: one seen gone may already belong to another process.
    for (const pid of children) if (running(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('killed with SIGKILL, up takes its children with it', async () => {
    const up = await startUp(dir);
    up.signal('SIGKILL');
    assert.equal((await up.exited).signal, 'SIGKILL');
    await assertAllGone(up);
  });

  test('SIGHUP (the terminal closed) stops every child cleanly, as SIGTERM does', async () => {
    const up = await startUp(dir);
    up.signal('SIGHUP');
    assert.deepEqual(await up.exited, { code: 0, signal: null }, up.output());
    assert.match(up.output(), /stopping \(SIGHUP\)/);
    assert.match(up.output(), /every process stopped cleanly/);
    await assertAllGone(up);
  });

  test('a second SIGINT while a child hangs in its stop kills every child, and up exits 1', async () => {
    const up = await startUp(dir);
    // A stopped process cannot act on SIGTERM: the clean stop waits for the gateway forever.
    const gateway = up.pids.get('gateway');
    assert.ok(gateway !== undefined);
    process.kill(gateway, 'SIGSTOP');
    up.signal('SIGINT');
    await up.printed('jadechain: stopping');
    up.signal('SIGINT');
    assert.deepEqual(await up.exited, { code: 1, signal: null }, up.output());
    assert.match(up.output(), /stopped, with failures/);
    await assertAllGone(up);
  });
});
