import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The jadechain executable of this package: children run `peer start` / `gateway start` through it. */
export const JADECHAIN_BIN = fileURLToPath(new URL('../../../bin/jadechain.js', import.meta.url));

export interface ChildSpec {
  readonly name: string;
  readonly args: readonly string[];
}

interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number>;
}

/**
 * Runs node processes as children, prefixing every line they print with their name, and stops
 * them in the reverse order of their start. A child that exits before `stop()` is a failure,
 * reported through `onUnexpectedExit`. No child outlives this process: whatever ends it, its
 * 'exit' kills every child still running, and a child whose IPC channel to it closes (this
 * process was killed outright, SIGKILL, which runs nothing) stops by itself.
 */
export class Supervisor {
  private readonly running: Running[] = [];
  private stopping = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly onUnexpectedExit: (name: string, code: number) => void,
  ) {}

  start(spec: ChildSpec): void {
    if (this.running.length === 0) process.on('exit', this.kill);
    // Each child gets its own process group, so a Ctrl-C in the terminal reaches only `up`,
    // which then stops each child exactly once and in order. The IPC channel carries nothing: it
    // closes when this process ends, however it ends, and the child then stops (runUntilSignalled).
    const child = spawn(process.execPath, [JADECHAIN_BIN, ...spec.args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
    if (child.pid !== undefined) this.write(`jadechain: started ${spec.name} (pid ${child.pid})\n`);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream !== null) createInterface({ input: stream }).on('line', (line) => this.write(`[${spec.name}] ${line}\n`));
    }
    const exited = new Promise<number>((resolve) => {
      child.on('exit', (code, signal) => {
        const status = code ?? (signal === null ? 1 : 128);
        if (!this.stopping) this.onUnexpectedExit(spec.name, status);
        resolve(status);
      });
      child.on('error', (err) => {
        this.write(`[${spec.name}] cannot start: ${err.message}\n`);
        resolve(1);
      });
    });
    this.running.push({ name: spec.name, child, exited });
  }

  /** Sends SIGTERM to each child, last started first, waiting for each; true if all stopped cleanly. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    let clean = true;
    for (const { child, exited } of [...this.running].reverse()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      if ((await exited) !== 0) clean = false;
    }
    process.off('exit', this.kill);
    return clean;
  }

  /** SIGKILL to every child still running. Synchronous, so that it also serves as an 'exit' listener. */
  readonly kill = (): void => {
    this.stopping = true;
    for (const { child } of this.running) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };
}
