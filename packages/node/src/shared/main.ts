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
 * code; the caller (bin script or CLI) exits with it.
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
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      logger.info('stopping', { signal });
      handle.close().then(
        () => resolve(EXIT.OK),
        (error: unknown) => {
          logger.error('stop failed', { reason: error instanceof Error ? error.message : String(error) });
          resolve(EXIT.FAILED);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
