import type { LogFields, TransportLogger } from '@jadechain/p2p';

/** One JSON line per event; the transport's logger interface plus errors. */
export interface Logger extends TransportLogger {
  error(event: string, fields: LogFields): void;
}

/** Logs to standard error, each line tagged with the component (`peer`, `gateway`, `p2p`). */
export function jsonLogger(component: string, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: string, event: string, fields: LogFields): void => write(`${JSON.stringify({ level, component, event, ...fields })}\n`);
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
