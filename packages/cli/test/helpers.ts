import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { main } from '../src/main.js';
import type { CliIO } from '../src/io.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output and the given environment. */
export async function run(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    stdin: new PassThrough(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Whether a loopback port can be bound (it is free). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Three consecutive free ports on loopback: a single peer's p2p and management ports, then the
 * gateway's. Below Linux's ephemeral range (32768 on): there, an outgoing connection or a listen
 * on port 0 of a test running alongside could be handed one of them before the processes bind it
 * (a port taken by a connection refuses a listener: EADDRINUSE).
 */
export async function threeFreePorts(): Promise<number> {
  for (;;) {
    const first = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await Promise.all([0, 1, 2].map((offset) => portIsFree(first + offset)))).every(Boolean)) return first;
  }
}
