import { NodeError } from './errors.js';
import type { Logger } from './logger.js';

/** Exit codes of the peer and gateway commands: 0 stopped cleanly, 1 failed, 2 bad usage or configuration. */
export const EXIT = Object.freeze({ OK: 0, FAILED: 1, USAGE: 2 });

/** The value of `--config FILE` (or `--config=FILE`); undefined when absent. */
export function configArgument(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--config') return argv[index + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

/**
 * Runs a node process until SIGINT or SIGTERM, then closes it in order. Resolves with the exit
 * code; the caller (bin script or CLI) exits with it. A process started with an IPC channel (by
 * `jadechain up`) also stops when that channel closes: its parent is gone, however it died
 * (SIGKILL included), and nothing else would stop it.
 */
export async function runUntilSignalled(start: () => Promise<{ close(): Promise<void> }>, logger: Logger): Promise<number> {
  let handle: { close(): Promise<void> };
  try {
    handle = await start();
  } catch (error) {
    const usage = error instanceof NodeError && (error.code === 'CONFIG_INVALID' || error.code === 'KEY_UNAVAILABLE');
    logger.error('start failed', { code: error instanceof NodeError ? error.code : 'FAILED', reason: error instanceof Error ? error.message : String(error) });
    return usage ? EXIT.USAGE : EXIT.FAILED;
  }
  return new Promise<number>((resolve) => {
    const stop = (why: Record<string, string>): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('disconnect', onParentGone);
      logger.info('stopping', why);
      handle.close().then(
        () => resolve(EXIT.OK),
        (error: unknown) => {
          logger.error('stop failed', { reason: error instanceof Error ? error.message : String(error) });
          resolve(EXIT.FAILED);
        },
      );
    };
    const onSignal = (signal: string): void => stop({ signal });
    const onParentGone = (): void => {
      // Whoever read this process's output went with the parent: a write failing on the closed
      // pipe (EPIPE) must not cut the stop short.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
      stop({ reason: 'the parent process is gone' });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (process.channel !== undefined) {
      process.on('disconnect', onParentGone);
      // The channel only watches the parent: it must not keep this process alive once stopped.
      process.channel.unref();
    }
  });
}
