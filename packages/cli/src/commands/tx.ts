import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Address, PubKey, cryptoSuite } from '@jadechain/crypto';
import { TransactionBuilder } from '@jadechain/sdk';
import {
  LedgerPermission,
  TransactionPermission,
  TransactionRequest,
  normalizeRoleName,
  type RolesPolicy,
} from '@jadechain/types';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { openKeystore } from '../keystore.js';
import { addNetworkOptions, addSigningOptions, NetworkContext, type NetworkOptions, type SigningOptions } from '../net/network-options.js';
import { bigintOption, choiceOption } from '../net/options.js';
import { saveOffline, submitAndReport, type Created } from '../net/submit.js';
import { VALUE_TYPES, parseTypedValue, type ValueType } from '../net/values.js';

type TxOptions = NetworkOptions & SigningOptions & { offline?: string } & Record<string, unknown>;

/** Adds the operations of one command to the builder; answers what it created. */
type Build = (builder: TransactionBuilder, opts: TxOptions, network: NetworkContext) => Created;

function address(text: string, what: string): Address {
  try {
    return Address.fromBase58(text);
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `${what} ${text}: not a base58 address (${(err as Error).message})`);
  }
}

function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function permissions<P extends string>(text: string | undefined, table: Readonly<Record<P, number>>, what: string): P[] {
  return list(text).map((name) => {
    const upper = name.toUpperCase();
    if (!(upper in table)) throw new CliError('BAD_ARGUMENT', `${what}: unknown permission ${name} (one of ${Object.keys(table).join(', ')})`);
    return upper as P;
  });
}

function roles(text: string | undefined, what: string): string[] {
  try {
    return list(text).map(normalizeRoleName);
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `${what}: ${(err as Error).message}`);
  }
}

/** A fresh key pair for a new account: only its public key goes on the ledger. */
function newAccountKey(network: NetworkContext): PubKey {
  return cryptoSuite.generateKeyPair(network.manifest?.crypto === 'sm' ? 'SM2' : 'ED25519').publicKey;
}

/** The signing options without `--key`, for the command whose `--key` is a KV key. */
function signerOnly(opts: SigningOptions): SigningOptions {
  const { key: _kvKey, ...signing } = opts;
  return signing;
}

async function run(ctx: CommandContext, opts: TxOptions, build: Build, signing: SigningOptions): Promise<void> {
  const network = new NetworkContext(opts);
  const ledgerHash = opts.offline === undefined ? await network.ledger() : network.offlineLedger();
  const builder = new TransactionBuilder({ ledgerHash });
  const created = build(builder, opts, network);
  const request = builder.sign(cryptoSuite, [await network.signingKey(ctx, signing)]);
  if (opts.offline !== undefined) saveOffline(ctx, opts.offline, request, opts.json === true, created);
  else await submitAndReport(ctx, network.client, request, opts.json === true, created);
}

export function registerTxCommands(program: Command, ctx: CommandContext): void {
  const tx = program.command('tx').description('sign and submit a transaction; exit 0 committed, 1 rejected, 2 bad usage');
  const operation = (name: string, description: string, build: Build): Command => {
    const command = tx.command(name).description(description).option('--offline <file>', 'sign into this file instead of submitting (see `tx send`)');
    const kvKey = name === 'kv-set';
    addSigningOptions(addNetworkOptions(command), !kvKey);
    command.action((opts: TxOptions) => run(ctx, opts, build, kvKey ? signerOnly(opts) : opts));
    return command;
  };

  operation('user-register', 'register a user by public key (or a key of the keystore)', (builder, opts, network) => {
    const pubKey = userPublicKey(ctx, opts, network);
    builder.registerUser(pubKey);
    return { address: pubKey.address() };
  })
    .option('--public-key <base58>', "the new user's public key")
    .option('--user-key <name>', "the new user's key in the keystore");

  operation('data-account-register', 'register a data account (its new address is printed last)', (builder, _opts, network) => {
    const pubKey = newAccountKey(network);
    builder.registerDataAccount(pubKey);
    return { address: pubKey.address() };
  });

  operation('kv-set', "write one key of a data account, optionally stating the key's current version", (builder, opts) => {
    const value = parseTypedValue(opts['type'] as ValueType, String(opts['value']), '--value');
    builder.setKv(address(String(opts['account']), '--account'), String(opts['key']), value, (opts['expectedVersion'] as bigint | undefined) ?? -1n);
    return {};
  })
    .requiredOption('--account <address>', 'the data account')
    .requiredOption('--key <key>', 'the key')
    .requiredOption('--value <value>', 'the value (INT64 decimal, JSON text, BYTES hex)')
    .option('--type <type>', VALUE_TYPES.join(', '), choiceOption('--type', VALUE_TYPES), 'TEXT')
    .option('--expected-version <n>', 'the current version of the key (-1: must not exist yet)', bigintOption('--expected-version', -1n));

  operation('event-account-register', 'register an event account (its new address is printed last)', (builder, _opts, network) => {
    const pubKey = newAccountKey(network);
    builder.registerEventAccount(pubKey);
    return { address: pubKey.address() };
  });

  operation('event-publish', 'publish one event to a topic of an event account', (builder, opts) => {
    const content = parseTypedValue(opts['type'] as ValueType, String(opts['content']), '--content');
    const expected = (opts['expectedSequence'] as bigint | undefined) ?? -1n;
    builder.publishEvent(address(String(opts['account']), '--account'), String(opts['topic']), content, expected);
    return {};
  })
    .requiredOption('--account <address>', 'the event account')
    .requiredOption('--topic <name>', 'the topic')
    .requiredOption('--content <value>', 'the content (INT64 decimal, JSON text, BYTES hex)')
    .option('--type <type>', VALUE_TYPES.join(', '), choiceOption('--type', VALUE_TYPES), 'TEXT')
    .option('--expected-sequence <n>', "the topic's latest sequence (-1: a new topic)", bigintOption('--expected-sequence', -1n));

  operation('roles-configure', 'create a role or change its permissions', (builder, opts) => {
    builder.configureRoles([
      {
        name: roles(String(opts['role']), '--role')[0] ?? '',
        enableLedgerPermissions: permissions(opts['enable'] as string | undefined, LedgerPermission, '--enable'),
        disableLedgerPermissions: permissions(opts['disable'] as string | undefined, LedgerPermission, '--disable'),
        enableTransactionPermissions: permissions(opts['enableTx'] as string | undefined, TransactionPermission, '--enable-tx'),
        disableTransactionPermissions: permissions(opts['disableTx'] as string | undefined, TransactionPermission, '--disable-tx'),
      },
    ]);
    return {};
  })
    .requiredOption('--role <name>', 'the role')
    .option('--enable <permissions>', 'ledger permissions to grant, comma-separated (e.g. WRITE_DATA_ACCOUNT)')
    .option('--disable <permissions>', 'ledger permissions to take away')
    .option('--enable-tx <permissions>', 'transaction permissions to grant (DIRECT_OPERATION, CONTRACT_OPERATION)')
    .option('--disable-tx <permissions>', 'transaction permissions to take away');

  operation('user-authorize', 'give roles to users and take roles from them', (builder, opts) => {
    const users = list(opts['user'] as string).map((text) => address(text, '--user'));
    if (users.length === 0) throw new CliError('BAD_ARGUMENT', '--user: at least one address');
    builder.authorizeUsers([
      {
        userAddresses: users,
        policy: opts['policy'] as RolesPolicy,
        authorizeRoles: roles(opts['authorize'] as string | undefined, '--authorize'),
        unauthorizeRoles: roles(opts['unauthorize'] as string | undefined, '--unauthorize'),
      },
    ]);
    return {};
  })
    .requiredOption('--user <addresses>', 'the users, comma-separated addresses')
    .option('--authorize <roles>', 'roles to give, comma-separated')
    .option('--unauthorize <roles>', 'roles to take away, comma-separated')
    .option('--policy <policy>', 'how the roles combine: UNION or INTERSECT', choiceOption('--policy', ['UNION', 'INTERSECT'] as const), 'UNION');

  addNetworkOptions(tx.command('send').description('submit a transaction signed with --offline').argument('<file>', 'the signed transaction')).action(
    async (file: string, opts: NetworkOptions) => {
      let request: TransactionRequest;
      try {
        request = TransactionRequest.fromJsonText(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new CliError('BAD_ARGUMENT', `${file} is not a signed transaction: ${(err as Error).message}`);
      }
      await submitAndReport(ctx, new NetworkContext(opts).client, request, opts.json === true, {});
    },
  );
}

function userPublicKey(ctx: CommandContext, opts: TxOptions, network: NetworkContext): PubKey {
  const text = opts['publicKey'] as string | undefined;
  const name = opts['userKey'] as string | undefined;
  if ((text === undefined) === (name === undefined)) throw new CliError('BAD_ARGUMENT', 'give exactly one of --public-key, --user-key');
  if (name !== undefined) {
    const keystore = openKeystore(ctx, opts.keystore ?? (network.manifest === undefined ? undefined : network.layout.keys));
    return keystore.show(name).publicKey;
  }
  try {
    return PubKey.fromBase58(text ?? '');
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `--public-key: not a base58 public key (${(err as Error).message})`);
  }
}
