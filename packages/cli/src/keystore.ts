import { homedir } from 'node:os';
import { join } from 'node:path';
import { KeystoreDir, cryptoSuite } from '@jadechain/crypto';
import type { CommandContext } from './context.js';

/** The keystore folder: --keystore, else $JADECHAIN_HOME/keys, else ~/.jadechain/keys. */
export function openKeystore(ctx: CommandContext, explicit: string | undefined): KeystoreDir {
  const home = ctx.io.env['JADECHAIN_HOME'] ?? join(homedir(), '.jadechain');
  return new KeystoreDir(explicit ?? join(home, 'keys'), cryptoSuite);
}

export const KEYSTORE_OPTION_HELP = 'keystore folder (default $JADECHAIN_HOME/keys or ~/.jadechain/keys)';
