import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Address, PubKey, cryptoSuite } from '@jadechain/crypto';
import { ContractCallError, ContractsClient, type ContractInvocation } from '@jadechain/sdk';
import type { AccountState, TypedValue } from '@jadechain/types';
import type { CommandContext } from '../context.js';
import { CliError, EXIT_NEGATIVE } from '../errors.js';
import { addNetworkOptions, addSigningOptions, NetworkContext, type NetworkOptions, type SigningOptions } from '../net/network-options.js';
import { choiceOption, integerOption } from '../net/options.js';

type ContractOptions = NetworkOptions & SigningOptions & Record<string, unknown>;

const STATES: readonly AccountState[] = ['NORMAL', 'FREEZE', 'REVOKE'];

/**
 * The deployable module of a `.ts` or `.js` contract (and the relative imports it bundles). The
 * contracts package is imported here, not at the top: it loads the TypeScript compiler (≈9 MB of
 * source, tens of MB of heap), and every other command of this binary, `peer start` and
 * `gateway start` among them, would carry it for nothing.
 */
async function build(file: string): Promise<string> {
  const { ContractError, buildContract } = await import('@jadechain/contracts');
  try {
    return buildContract(file).code;
  } catch (err) {
    if (err instanceof ContractError) throw new CliError('BAD_ARGUMENT', `--code ${file}: ${err.message}`);
    throw err;
  }
}

function address(text: unknown): Address {
  try {
    return Address.fromBase58(String(text));
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `--address ${String(text)}: not a base58 address (${(err as Error).message})`);
  }
}

/**
 * `--args` as a JSON array: integers → INT64, strings → TEXT, booleans, null → NIL, objects and
 * arrays → JSON; `{"type": "INT64", "value": "123456789012345678"}` states a type explicitly.
 */
export function parseArgs(text: string): TypedValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `--args: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new CliError('BAD_ARGUMENT', '--args must be a JSON array');
  return parsed.map((item: unknown, index) => typedArg(item, `--args[${index}]`));
}

function typedArg(item: unknown, what: string): TypedValue {
  if (item === null) return { type: 'NIL' };
  if (typeof item === 'boolean') return { type: 'BOOLEAN', value: item };
  if (typeof item === 'string') return { type: 'TEXT', value: item };
  if (typeof item === 'number') {
    if (!Number.isSafeInteger(item)) throw new CliError('BAD_ARGUMENT', `${what}: ${item} is not a safe integer (write {"type":"INT64","value":"..."})`);
    return { type: 'INT64', value: BigInt(item) };
  }
  const explicit = item as Record<string, unknown>;
  if (!Array.isArray(item) && typeof explicit['type'] === 'string' && 'value' in explicit && Object.keys(explicit).length === 2) {
    if (explicit['type'] === 'INT64' && /^-?\d{1,19}$/.test(String(explicit['value']))) return { type: 'INT64', value: BigInt(String(explicit['value'])) };
    if (explicit['type'] === 'TEXT') return { type: 'TEXT', value: String(explicit['value']) };
    throw new CliError('BAD_ARGUMENT', `${what}: explicit types are INT64 (decimal text) and TEXT`);
  }
  return { type: 'JSON', value: JSON.stringify(item) };
}

/** The returned value as a script would want it: integers and text bare, JSON as JSON. */
function printable(invocation: ContractInvocation): string {
  const { value } = invocation;
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return JSON.stringify(value);
}

async function contracts(ctx: CommandContext, opts: ContractOptions): Promise<{ client: ContractsClient; network: NetworkContext }> {
  const network = new NetworkContext(opts);
  const client = new ContractsClient({ gateway: network.client, ledgerHash: await network.ledger(), suite: cryptoSuite, signers: [await network.signingKey(ctx, opts)] });
  return { client, network };
}

/** Runs an action that submits; a contract that fails exits 1 with its message (and stack). */
async function submitting(ctx: CommandContext, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof ContractCallError)) throw err;
    ctx.io.stderr(`jadechain: ${err.message} [${err.state}]\n`);
    if (err.failure !== null && err.failure.stack !== '') ctx.io.stderr(`${err.failure.stack}\n`);
    ctx.exitCode = EXIT_NEGATIVE;
  }
}

export function registerContractCommands(program: Command, ctx: CommandContext): void {
  const contract = program.command('contract').description('build, deploy, invoke, upgrade, freeze and show contracts; exit 0 done, 1 failed, 2 bad usage');
  const networked = (name: string, description: string): Command => addSigningOptions(addNetworkOptions(contract.command(name).description(description)));

  contract
    .command('build')
    .description('bundle a .ts or .js contract and its relative imports into one deployable module')
    .requiredOption('--code <file>', 'the contract entry file')
    .option('--out <file>', 'write the module here (default: print it)')
    .action(async (opts: { code: string; out?: string }) => {
      const code = await build(opts.code);
      if (opts.out === undefined) ctx.io.stdout(code.endsWith('\n') ? code : `${code}\n`);
      else writeFileSync(opts.out, code);
    });

  networked('deploy', 'deploy a contract (built first); prints its new address last')
    .requiredOption('--code <file>', 'the contract (.ts or .js)')
    .action((opts: ContractOptions) =>
      submitting(ctx, async () => {
        const code = await build(String(opts['code']));
        const { client, network } = await contracts(ctx, opts);
        const key = cryptoSuite.generateKeyPair(network.manifest?.crypto === 'sm' ? 'SM2' : 'ED25519').publicKey;
        const deployed = await client.deploy(key, code);
        ctx.io.stdout(opts.json === true ? `${JSON.stringify({ address: deployed.toBase58(), version: 0 })}\n` : `${deployed.toBase58()}\n`);
      }),
    );

  networked('upgrade', 'deploy a new version of a contract (by an owner holding UPGRADE_CONTRACT)')
    .requiredOption('--address <address>', 'the contract')
    .requiredOption('--code <file>', 'the new code (.ts or .js)')
    .action((opts: ContractOptions) =>
      submitting(ctx, async () => {
        const code = await build(String(opts['code']));
        const { client } = await contracts(ctx, opts);
        const current = await client.show(address(opts['address']));
        const version = await client.upgrade(PubKey.fromBase58(current.pubKey), code, BigInt(current.chainCodeVersion));
        ctx.io.stdout(opts.json === true ? `${JSON.stringify({ address: current.address.value, version: Number(version) })}\n` : `version ${version}\n`);
      }),
    );

  networked('invoke', "run a contract method; prints its return value, or exits 1 with the contract's message")
    .requiredOption('--address <address>', 'the contract')
    .requiredOption('--method <name>', 'the exported function')
    .option('--args <json>', 'the arguments as a JSON array', '[]')
    .option('--version <n>', 'fail unless the contract is at this version', integerOption('--version', 0, Number.MAX_SAFE_INTEGER))
    .action((opts: ContractOptions) =>
      submitting(ctx, async () => {
        const args = parseArgs(String(opts['args']));
        const { client } = await contracts(ctx, opts);
        const version = opts['version'] === undefined ? undefined : BigInt(opts['version'] as number);
        const invocation = await client.invoke(address(opts['address']), String(opts['method']), args, version);
        if (opts.json === true) {
          ctx.io.stdout(`${JSON.stringify({ transaction: invocation.transactionHash, block: invocation.blockHeight, returned: invocation.returned, gasUsed: invocation.gasUsed.toString() })}\n`);
        } else ctx.io.stdout(`${printable(invocation)}\n`);
      }),
    );

  networked('state', 'show a contract state, or set it with --set NORMAL|FREEZE|REVOKE (revoking is final)')
    .requiredOption('--address <address>', 'the contract')
    .option('--set <state>', STATES.join(', '), choiceOption('--set', STATES))
    .action((opts: ContractOptions) =>
      submitting(ctx, async () => {
        const { client } = await contracts(ctx, opts);
        const target = address(opts['address']);
        if (opts['set'] !== undefined) await client.setState(target, opts['set'] as AccountState);
        ctx.io.stdout(`${(await client.show(target)).state}\n`);
      }),
    );

  addNetworkOptions(contract.command('show').description('show a contract (latest version unless --version) with its source'))
    .requiredOption('--address <address>', 'the contract')
    .option('--version <n>', 'a past version', integerOption('--version', 0, Number.MAX_SAFE_INTEGER))
    .action(async (opts: NetworkOptions & Record<string, unknown>) => {
      const network = new NetworkContext(opts);
      const version = opts['version'] as number | undefined;
      const shown = await network.client.contract(await network.ledger(), address(opts['address']), version === undefined ? {} : { version });
      if (opts.json === true) {
        ctx.io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      for (const [name, value] of [['address', shown.address.value], ['version', shown.chainCodeVersion], ['state', shown.state], ['language', shown.lang], ['code hash', shown['codeHash']]] as const) {
        ctx.io.stdout(`${name.padEnd(12)} ${String(value)}\n`);
      }
      ctx.io.stdout(`\n${shown.chainCode}\n`);
    });
}
