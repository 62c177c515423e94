import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built `jadechain` executable: the processes under test are what users run. */
export const JADECHAIN_BIN = fileURLToPath(new URL('../../../../packages/cli/bin/jadechain.js', import.meta.url));

const KEPT_LINES = 400;
const STOP_GRACE_MS = 10_000;

/** Every child still running when the test process exits is killed, so no stray peer holds a port. */
const everyChild = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of everyChild) child.kill('SIGKILL');
});

/**
 * One `jadechain` child process (a peer or the gateway) that can be started again after it
 * stops, killed, paused and resumed. Its output goes to a log file and the last lines are
 * kept, to print when a test fails.
 */
export class NodeProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly lines: string[] = [];
  private starts = 0;

  constructor(
    readonly name: string,
    private readonly args: readonly string[],
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child !== undefined) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    this.note(`--- start #${this.starts}: jadechain ${this.args.join(' ')}`);
    const child = spawn(process.execPath, [JADECHAIN_BIN, ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    everyChild.add(child);
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => this.note(line));
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        everyChild.delete(child);
        if (this.child === child) this.child = undefined;
        this.note(`--- exited (${signal ?? `code ${code}`})`);
        resolve();
      });
    });
  }

  /** Sends `signal` and, unless it only pauses or resumes, waits for the exit. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined) throw new Error(`${this.name} is not running`);
    this.note(`--- ${signal} sent by the test`);
    child.kill(signal);
    if (signal !== 'SIGSTOP' && signal !== 'SIGCONT') await this.exited;
  }

  /** SIGTERM (resuming it first if paused), then SIGKILL if it does not stop in time. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  lastLines(count: number): string[] {
    return this.lines.slice(-count);
  }

  private note(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    appendFileSync(this.logFile, `${line}\n`);
  }
}
