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
