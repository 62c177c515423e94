import type { CliIO } from './io.js';

/** State shared by the commands of one invocation. */
export interface CommandContext {
  readonly io: CliIO;
  /** Set by a command whose answer is an exit code (e.g. `crypto verify`). */
  exitCode: number;
}
