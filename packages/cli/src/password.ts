import { readFileSync } from 'node:fs';
import { CliError } from './errors.js';
import type { CliIO } from './io.js';

export interface PasswordOptions {
  readonly passwordFile?: string | undefined;
  /** Ask twice when prompting, for a new key. */
  readonly confirm: boolean;
}

/**
 * A keystore password comes, in this order of precedence, from --password-file (first line),
 * from JADECHAIN_PASSWORD, or from an interactive prompt without echo. A script without a
 * terminal and without either source gets a clear error rather than a hang.
 */
export async function resolvePassword(io: CliIO, options: PasswordOptions): Promise<Uint8Array> {
  if (options.passwordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.passwordFile, 'utf8');
    } catch (err) {
      throw new CliError('NO_PASSWORD', `cannot read password file ${options.passwordFile}: ${(err as Error).message}`);
    }
    return nonEmpty(text.split(/\r?\n/)[0] ?? '', `password file ${options.passwordFile}`);
  }
  const fromEnv = io.env['JADECHAIN_PASSWORD'];
  if (fromEnv !== undefined) return nonEmpty(fromEnv, 'JADECHAIN_PASSWORD');
  if (io.stdin.isTTY !== true) {
    throw new CliError(
      'NO_PASSWORD',
      'a password is needed: set JADECHAIN_PASSWORD, pass --password-file FILE, or run in a terminal to be asked',
    );
  }
  const first = await promptHidden(io, 'Password: ');
  if (options.confirm) {
    const second = await promptHidden(io, 'Repeat password: ');
    if (first !== second) throw new CliError('PASSWORD_MISMATCH', 'the two passwords differ');
  }
  return nonEmpty(first, 'the password');
}

function nonEmpty(text: string, source: string): Uint8Array {
  if (text.length === 0) throw new CliError('NO_PASSWORD', `${source} is empty`);
  return new TextEncoder().encode(text);
}

/** Reads one line from a terminal in raw mode so that the password is not echoed. */
function promptHidden(io: CliIO, question: string): Promise<string> {
  io.stderr(question);
  const stdin = io.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (result: string | Error): void => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr('\n');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(typed);
        if (ch === '\u0003') return finish(new CliError('NO_PASSWORD', 'interrupted'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
