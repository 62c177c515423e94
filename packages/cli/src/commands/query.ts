import type { Command } from 'commander';
import type { QueryParams } from '@jadechain/sdk';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { addNetworkOptions, NetworkContext, type NetworkOptions } from '../net/network-options.js';
import { integerOption } from '../net/options.js';
import { renderHuman } from '../net/render.js';

type QueryOptions = NetworkOptions & { height?: number; hash?: string; from?: number; count?: number; version?: number };

/** A query path under /ledgers/{ledger}, with its parameters and, for POST paths, its body. */
interface LedgerQuery {
  readonly path: string;
  readonly params?: QueryParams;
  readonly body?: unknown;
}

type Resolve = (args: readonly (string | undefined)[], opts: QueryOptions, network: NetworkContext) => Promise<LedgerQuery> | LedgerQuery;

const INDEX = integerOption('--from', 0, Number.MAX_SAFE_INTEGER);
const COUNT = integerOption('--count', 1, 100);
const HEIGHT = integerOption('--height', 0, Number.MAX_SAFE_INTEGER);

function page(opts: QueryOptions): QueryParams {
  return { fromIndex: opts.from ?? 0, count: opts.count ?? 100 };
}

function segment(text: string): string {
  return encodeURIComponent(text);
}

async function latestHeight(network: NetworkContext): Promise<number> {
  const ledger = (await network.ledger()).toBase58();
  const info = (await network.client.query(`/ledgers/${ledger}`)) as { latestBlockHeight?: unknown };
  const height = Number(info.latestBlockHeight);
  if (!Number.isSafeInteger(height)) throw new CliError('BAD_ARGUMENT', 'the gateway did not report the latest block height');
  return height;
}

/** `jadechain query <what>`: thin mapping onto JD Chain's query paths (docs/api.md). */
export function registerQueryCommands(program: Command, ctx: CommandContext): void {
  const query = program.command('query').description("ask the gateway (JD Chain's query API); --json prints the answer unchanged");

  const print = (data: unknown, json: boolean): void => {
    ctx.io.stdout(json ? `${JSON.stringify(data, null, 2)}\n` : renderHuman(data));
  };

  query.addCommand(
    addNetworkOptions(query.createCommand('ledgers').description('the ledgers the gateway serves')).action(async (opts: NetworkOptions) => {
      print(await new NetworkContext(opts).client.query('/ledgers'), opts.json === true);
    }),
  );

  const ledgerQuery = (name: string, description: string, args: string[], resolve: Resolve): Command => {
    const command = query.command(name).description(description);
    for (const arg of args) command.argument(arg.endsWith('?') ? `[${arg.slice(0, -1)}]` : `<${arg}>`);
    addNetworkOptions(command);
    command.action(async (...received: unknown[]) => {
      const positional = received.slice(0, args.length) as (string | undefined)[];
      const opts = received[args.length] as QueryOptions;
      const network = new NetworkContext(opts);
      const { path, params = {}, body } = await resolve(positional, opts, network);
      const ledger = (await network.ledger()).toBase58();
      print(await network.client.query(`/ledgers/${ledger}${path}`, params, body), opts.json === true);
    });
    return command;
  };
  const paged = (command: Command): Command =>
    command.option('--from <index>', 'the first item (default 0)', INDEX).option('--count <n>', 'how many (1 to 100, default 100)', COUNT);

  ledgerQuery('ledger', 'the ledger: hash, latest block height and hash', [], () => ({ path: '' }));
  ledgerQuery('block', 'a block: the latest, or by --height or --hash', [], (_args, opts) => {
    if (opts.height !== undefined && opts.hash !== undefined) throw new CliError('BAD_ARGUMENT', 'give at most one of --height, --hash');
    if (opts.height !== undefined) return { path: `/blocks/height/${opts.height}` };
    if (opts.hash !== undefined) return { path: `/blocks/hash/${segment(opts.hash)}` };
    return { path: '/blocks/latest' };
  })
    .option('--height <h>', 'the block at this height', HEIGHT)
    .option('--hash <hash>', 'the block with this hash');
  ledgerQuery('tx', 'a transaction and its result, by hash', ['hash'], ([hash = '']) => ({ path: `/txs/hash/${segment(hash)}` }));
  paged(
    ledgerQuery('txs', "the transactions of one block (default: the latest)", [], async (_args, opts, network) => ({
      path: `/blocks/height/${opts.height ?? (await latestHeight(network))}/txs/additional-txs`,
      params: page(opts),
    })).option('--height <h>', 'the block', HEIGHT),
  );
  paged(ledgerQuery('users', 'registered users', [], (_args, opts) => ({ path: '/users', params: page(opts) })));
  ledgerQuery('user', 'one user', ['address'], ([address = '']) => ({ path: `/users/address/${segment(address)}` }));
  paged(ledgerQuery('accounts', 'data accounts', [], (_args, opts) => ({ path: '/accounts', params: page(opts) })));
  ledgerQuery('account', 'one data account', ['address'], ([address = '']) => ({ path: `/accounts/address/${segment(address)}` }));
  ledgerQuery('kv', 'one key of a data account: the latest value, or --version N', ['address', 'key'], ([address = '', key = ''], opts) =>
    opts.version === undefined
      ? // keys=k1,k2 cannot carry a key with a comma; the POST form of the same path can.
        key.includes(',')
        ? { path: `/accounts/${segment(address)}/entries`, body: { keys: [key] } }
        : { path: `/accounts/${segment(address)}/entries`, params: { keys: key } }
      : { path: `/accounts/${segment(address)}/entries-version`, body: { data: [{ key, version: [opts.version] }] } },
  ).option('--version <n>', 'that version of the key', integerOption('--version', 0, Number.MAX_SAFE_INTEGER));
  paged(
    ledgerQuery('kvs', 'the latest entries of a data account', ['address'], ([address = ''], opts) => ({
      path: `/accounts/address/${segment(address)}/entries`,
      params: page(opts),
    })),
  );
  paged(
    ledgerQuery('events', 'event accounts; with ACCOUNT its topics; with ACCOUNT TOPIC its events', ['account?', 'topic?'], ([account, topic], opts) => {
      if (account === undefined) return { path: '/events/user/accounts', params: page(opts) };
      const names = `/events/user/accounts/${segment(account)}/names`;
      if (topic === undefined) return { path: names, params: page(opts) };
      return { path: `${names}/${segment(topic)}`, params: { fromSequence: opts.from ?? 0, count: opts.count ?? 100 } };
    }),
  );
  ledgerQuery('participants', 'the consensus participants', [], () => ({ path: '/participants' }));
  ledgerQuery('role', "a role's permissions", ['name'], ([name = '']) => ({ path: `/authorization/role/${segment(name)}` }));
  ledgerQuery('user-privileges', "a user's roles and merged permissions", ['address'], ([address = '']) => ({
    path: `/authorization/user/${segment(address)}`,
  }));
}
