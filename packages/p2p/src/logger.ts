export type LogFields = Readonly<Record<string, string | number | boolean>>;

/** Where the transport reports connections opened and closed, and why. */
export interface TransportLogger {
  info(event: string, fields: LogFields): void;
  warn(event: string, fields: LogFields): void;
}

function line(level: string, event: string, fields: LogFields): string {
  return `${JSON.stringify({ level, component: 'p2p', event, ...fields })}\n`;
}

/** The default: one JSON line per event on standard error. */
export const stderrLogger: TransportLogger = {
  info(event, fields) {
    process.stderr.write(line('info', event, fields));
  },
  warn(event, fields) {
    process.stderr.write(line('warn', event, fields));
  },
};
