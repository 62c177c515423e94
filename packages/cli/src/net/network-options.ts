import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { HashDigest, type PrivKey } from '@jadechain/crypto';
import { GatewayClient } from '@jadechain/sdk';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { openKeystore } from '../keystore.js';
import { resolvePassword } from '../password.js';
import { DEFAULT_NETWORK_DIR, TestnetLayout, readManifest, type TestnetManifest } from './layout.js';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';

/** Options shared by `tx` and `query`: which gateway, which ledger, which local network. */
export interface NetworkOptions {
  gateway?: string;
  ledger?: string;
  dir: string;
  json?: boolean;
}

export function addNetworkOptions(command: Command): Command {
  return command
    .option('--gateway <url>', `the gateway (default: the testnet's, else ${DEFAULT_GATEWAY_URL})`)
    .option('--ledger <hash>', 'the ledger (default: the only one the gateway serves)')
    .option('--dir <dir>', 'a testnet folder whose gateway and keys are the defaults', DEFAULT_NETWORK_DIR)
    .option('--json', 'print JSON');
}

/** What the options and the testnet folder (when it is one) say about the network to talk to. */
export class NetworkContext {
  readonly layout: TestnetLayout;
  readonly manifest: TestnetManifest | undefined;
  readonly client: GatewayClient;
  private readonly ledgerOption: string | undefined;

  constructor(options: NetworkOptions) {
    this.layout = new TestnetLayout(options.dir);
    this.manifest = readManifest(this.layout);
    const url = options.gateway ?? this.manifest?.gatewayUrl ?? DEFAULT_GATEWAY_URL;
    if (!/^https?:\/\/[^/]+/.test(url)) throw new CliError('BAD_ARGUMENT', `--gateway ${url}: not an http(s) URL`);
    this.client = new GatewayClient(url);
    this.ledgerOption = options.ledger;
  }

  /** The ledger named by --ledger, else the only one the gateway serves. */
  async ledger(): Promise<HashDigest> {
    if (this.ledgerOption !== undefined) return parseLedgerHash(this.ledgerOption);
    const ledgers = await this.client.ledgers();
    const only = ledgers[0];
    if (only === undefined || ledgers.length > 1) {
      throw new CliError('BAD_ARGUMENT', `the gateway serves ${ledgers.length} ledgers; name one with --ledger HASH`);
    }
    return only;
  }

  /** The ledger for offline signing: --ledger, else the testnet's. */
  offlineLedger(): HashDigest {
    const text = this.ledgerOption ?? this.manifest?.ledgerHash;
    if (text === undefined) throw new CliError('BAD_ARGUMENT', '--offline needs --ledger HASH (or a testnet folder in --dir)');
    return parseLedgerHash(text);
  }

  /**
   * The signing key: --key NAME from --keystore, else from the testnet's keystore; with no --key,
   * the testnet's administrator. A testnet key's password is the testnet's development password.
   */
  async signingKey(ctx: CommandContext, options: SigningOptions): Promise<PrivKey> {
    const useTestnet = options.keystore === undefined && this.manifest !== undefined;
    const name = options.signer ?? options.key ?? this.manifest?.adminKey;
    if (name === undefined) throw new CliError('BAD_ARGUMENT', `no --key given and ${this.layout.dir} holds no testnet`);
    const keystore = openKeystore(ctx, useTestnet ? this.layout.keys : options.keystore);
    keystore.show(name);
    const passwordFile = options.passwordFile ?? (useTestnet && existsSync(this.layout.devPassword) ? this.layout.devPassword : undefined);
    return keystore.unlock(name, await resolvePassword(ctx.io, { passwordFile, confirm: false }));
  }
}

export interface SigningOptions {
  key?: string;
  signer?: string;
  keystore?: string;
  passwordFile?: string;
}

/**
 * `--key NAME` names the signing key, except on `tx kv-set`, whose `--key` is the KV key; there
 * (and everywhere) `--signer NAME` names it too.
 */
export function addSigningOptions(command: Command, keyMeansSigner = true): Command {
  if (keyMeansSigner) command.option('--key <name>', "the signing key (default: the testnet's administrator)");
  return command
    .option('--signer <name>', 'the signing key (same as --key)')
    .option('--keystore <dir>', "keystore folder (default: the testnet's, else $JADECHAIN_HOME/keys or ~/.jadechain/keys)")
    .option('--password-file <file>', "read the key password from the first line of this file (default: the testnet's dev-password)");
}

export function parseLedgerHash(text: string): HashDigest {
  try {
    return HashDigest.fromBase58(text);
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `--ledger ${text}: not a base58 hash (${(err as Error).message})`);
  }
}
