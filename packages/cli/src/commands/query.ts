import type { Command } from 'commander';
import type { QueryParams } from '@jadechain/sdk';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { addNetworkOptions, NetworkContext, type NetworkOptions } from '../net/network-options.js';
import { choiceOption, integerOption } from '../net/options.js';
import { renderHuman } from '../net/render.js';

type QueryOptions = NetworkOptions & {
  height?: number;
  hash?: string;
  from?: number;
  count?: number;
  version?: number;
  latest?: number | boolean;
  cumulative?: boolean;
  compiled?: boolean;
  additional?: boolean;
};

/** A query path under /ledgers/{ledger} (or `/ledgers/...` itself when `absolute`), with its parameters and, for POST paths, its body. */
interface LedgerQuery {
  readonly path: string;
  readonly params?: QueryParams;
  readonly body?: unknown;
  readonly absolute?: boolean;
}

type Resolve = (args: readonly (string | undefined)[], opts: QueryOptions, network: NetworkContext) => Promise<LedgerQuery> | LedgerQuery;

const INDEX = integerOption('--from', 0, Number.MAX_SAFE_INTEGER);
const COUNT = integerOption('--count', 1, 100);
const HEIGHT = integerOption('--height', 0, Number.MAX_SAFE_INTEGER);
const VERSION = integerOption('--version', 0, Number.MAX_SAFE_INTEGER);
const LATEST_BLOCKS = integerOption('--latest', 1, 100);

/** What `count` counts: the block-indexed totals, and the rest by their own paths. */
const BLOCK_COUNTED = ['txs', 'users', 'accounts', 'contracts'] as const;
const COUNTABLE = [...BLOCK_COUNTED, 'ledgers', 'participants', 'kvs', 'event-accounts', 'topics', 'events', 'system-events'] as const;
type Countable = (typeof COUNTABLE)[number];

function page(opts: QueryOptions): QueryParams {
  return { fromIndex: opts.from ?? 0, count: opts.count ?? 100 };
}

function sequences(opts: QueryOptions): QueryParams {
  return { fromSequence: opts.from ?? 0, count: opts.count ?? 100 };
}

function segment(text: string): string {
  return encodeURIComponent(text);
}

function required(value: string | undefined, what: string, usage: string): string {
  if (value === undefined || value === '') throw new CliError('BAD_ARGUMENT', `${usage} needs ${what}`);
  return value;
}

/** `/blocks/height/H` or `/blocks/hash/H` from --height or --hash; undefined when neither is given. */
function chosenBlock(opts: QueryOptions): string | undefined {
  if (opts.height !== undefined && opts.hash !== undefined) throw new CliError('BAD_ARGUMENT', 'give at most one of --height, --hash');
  if (opts.height !== undefined) return `/blocks/height/${opts.height}`;
  if (opts.hash !== undefined) return `/blocks/hash/${segment(opts.hash)}`;
  return undefined;
}

async function latestHeight(network: NetworkContext): Promise<number> {
  const ledger = (await network.ledger()).toBase58();
  const info = (await network.client.query(`/ledgers/${ledger}`)) as { latestBlockHeight?: unknown };
  const height = Number(info.latestBlockHeight);
  if (!Number.isSafeInteger(height)) throw new CliError('BAD_ARGUMENT', 'the gateway did not report the latest block height');
  return height;
}

/** The count path of `count WHAT [ARG [ARG]]` (docs/cli.md lists them). */
export function countQuery(what: Countable, [first, second]: readonly (string | undefined)[], opts: QueryOptions): LedgerQuery {
  const block = chosenBlock(opts);
  const blockCounted = (BLOCK_COUNTED as readonly string[]).includes(what);
  if (!blockCounted && (block !== undefined || opts.additional === true)) {
    throw new CliError('BAD_ARGUMENT', `count ${what} takes no --height, --hash or --additional`);
  }
  const kind = opts.additional === true ? 'additional-count' : 'count';
  const events = '/events/user/accounts';
  switch (what) {
    case 'ledgers':
      return { path: '/ledgers/count', absolute: true };
    case 'participants':
      return { path: '/participants/count' };
    case 'kvs':
      return { path: `/accounts/address/${segment(required(first, 'an account address', 'count kvs'))}/entries/count` };
    case 'event-accounts':
      return { path: `${events}/count` };
    case 'topics':
      return { path: `${events}/${segment(required(first, 'an event account address', 'count topics'))}/names/count` };
    case 'events':
      return { path: `${events}/${segment(required(first, 'an event account address', 'count events'))}/names/${segment(required(second, 'a topic', 'count events'))}/count` };
    case 'system-events':
      return { path: first === undefined ? '/events/system/names/count' : `/events/system/names/${segment(first)}/count` };
    default:
      return { path: `${block ?? ''}/${what}/${kind}` };
  }
}

/** `jadechain query <what>`: thin mapping onto JD Chain's query paths (docs/api.md, docs/cli.md). */
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
      const { path, params = {}, body, absolute = false } = await resolve(positional, opts, network);
      const prefix = absolute ? '' : `/ledgers/${(await network.ledger()).toBase58()}`;
      print(await network.client.query(`${prefix}${path}`, params, body), opts.json === true);
    });
    return command;
  };
  const paged = (command: Command, from = 'the first item (default 0)'): Command =>
    command.option('--from <index>', from, INDEX).option('--count <n>', 'how many (1 to 100, default 100)', COUNT);
  const blockOptions = (command: Command, which: string): Command =>
    command.option('--height <h>', `${which} at this height`, HEIGHT).option('--hash <hash>', `${which} with this hash`);

  ledgerQuery('ledger', 'the ledger: hash, latest block height and hash', [], () => ({ path: '' }));
  ledgerQuery('metadata', "the ledger's metadata: seed, state hashes, identity mode, creation time", [], () => ({ path: '/metadata' }));
  ledgerQuery('settings', "the ledger's settings: crypto, consensus, participants, genesis users, limits", [], () => ({ path: '/settings' }));
  ledgerQuery('crypto-settings', "the ledger's crypto settings: providers, algorithms, hash algorithm", [], () => ({ path: '/settings/crypto' }));
  ledgerQuery('admininfo', "the ledger's administration: participants, metadata, settings", [], () => ({ path: '/admininfo' }));
  ledgerQuery('participants', 'the consensus participants', [], () => ({ path: '/participants' }));

  blockOptions(
    ledgerQuery('block', 'a block: the latest, or by --height or --hash', [], (_args, opts) => ({ path: chosenBlock(opts) ?? '/blocks/latest' })),
    'the block',
  );
  ledgerQuery('blocks', 'the latest N blocks, newest first, then the genesis block', [], (_args, opts) => ({
    path: '/blocks',
    params: { numOfBlocks: typeof opts.latest === 'number' ? opts.latest : 10 },
  })).option('--latest <n>', 'how many of the latest blocks (1 to 100, default 10)', LATEST_BLOCKS);
  ledgerQuery('tx', 'a transaction and its result, by hash', ['hash'], ([hash = '']) => ({ path: `/txs/hash/${segment(hash)}` }));
  ledgerQuery('tx-state', "a transaction's execution state (SUCCESS, DATA_VERSION_CONFLICT, ...), by hash", ['hash'], ([hash = '']) => ({
    path: `/txs/state/${segment(hash)}`,
  }));
  paged(
    blockOptions(
      ledgerQuery('txs', 'the transactions of one block (default: the latest); --cumulative: of every block up to it', [], async (_args, opts, network) => ({
        path: `${chosenBlock(opts) ?? `/blocks/height/${await latestHeight(network)}`}/txs${opts.cumulative === true ? '' : '/additional-txs'}`,
        params: page(opts),
      })).option('--cumulative', 'number the transactions of blocks 0 to that one together'),
      'the block',
    ),
  );

  paged(ledgerQuery('users', 'registered users', [], (_args, opts) => ({ path: '/users', params: page(opts) })));
  ledgerQuery('user', 'one user', ['address'], ([address = '']) => ({ path: `/users/address/${segment(address)}` }));
  ledgerQuery('role', "a role's permissions", ['name'], ([name = '']) => ({ path: `/authorization/role/${segment(name)}` }));
  ledgerQuery('user-privileges', "a user's roles and merged permissions", ['address'], ([address = '']) => ({
    path: `/authorization/user/${segment(address)}`,
  }));

  paged(ledgerQuery('accounts', 'data accounts', [], (_args, opts) => ({ path: '/accounts', params: page(opts) })));
  ledgerQuery('account', 'one data account', ['address'], ([address = '']) => ({ path: `/accounts/address/${segment(address)}` }));
  ledgerQuery('kv', 'one key of a data account: the latest value, or --version N', ['address', 'key'], ([address = '', key = ''], opts) =>
    opts.version === undefined
      ? // keys=k1,k2 cannot carry a key with a comma; the POST form of the same path can.
        key.includes(',')
        ? { path: `/accounts/${segment(address)}/entries`, body: { keys: [key] } }
        : { path: `/accounts/${segment(address)}/entries`, params: { keys: key } }
      : { path: `/accounts/${segment(address)}/entries-version`, body: { data: [{ key, version: [opts.version] }] } },
  ).option('--version <n>', 'that version of the key', VERSION);
  paged(
    ledgerQuery('kvs', 'the latest entries of a data account', ['address'], ([address = ''], opts) => ({
      path: `/accounts/address/${segment(address)}/entries`,
      params: page(opts),
    })),
  );

  paged(ledgerQuery('contracts', 'contract accounts', [], (_args, opts) => ({ path: '/contracts', params: page(opts) })));
  ledgerQuery('contract', 'one contract: its latest code, or --version N; --compiled gives the code in base64', ['address'], ([address = ''], opts) => ({
    path: `/contracts/address/${segment(address)}${opts.version === undefined ? '' : `/version/${opts.version}`}${opts.compiled === true ? '/compiled' : ''}`,
  }))
    .option('--version <n>', 'that version of the contract', VERSION)
    .option('--compiled', 'the code as base64 (JD Chain\'s compiled form)');

  paged(
    ledgerQuery('events', 'event accounts; with ACCOUNT its topics; with ACCOUNT TOPIC its events (--latest: the newest)', ['account?', 'topic?'], ([account, topic], opts) => {
      if (account === undefined) return { path: '/events/user/accounts', params: page(opts) };
      const names = `/events/user/accounts/${segment(account)}/names`;
      if (topic === undefined) return { path: names, params: page(opts) };
      if (opts.latest === true) return { path: `${names}/${segment(topic)}/latest` };
      return { path: `${names}/${segment(topic)}`, params: sequences(opts) };
    }).option('--latest', 'only the newest event of the topic'),
    'the first item, or the first sequence of a topic (default 0)',
  );
  ledgerQuery('event-account', 'one event account: address, key, topic count', ['address'], ([address = '']) => ({
    path: `/events/user/accounts/${segment(address)}`,
  }));
  paged(
    ledgerQuery('system-events', 'system event names; with NAME its events (--latest: the newest)', ['name?'], ([name], opts) => {
      if (name === undefined) return { path: '/events/system/names', params: page(opts) };
      if (opts.latest === true) return { path: `/events/system/names/${segment(name)}/latest` };
      return { path: `/events/system/names/${segment(name)}`, params: sequences(opts) };
    }).option('--latest', 'only the newest event'),
    'the first item, or the first sequence of a name (default 0)',
  );

  blockOptions(
    ledgerQuery('count', `how many: ${COUNTABLE.join(', ')} (kvs ADDR, topics ACCOUNT, events ACCOUNT TOPIC, system-events [NAME])`, ['what', 'arg?', 'arg2?'], ([what = '', ...rest], opts) =>
      countQuery(choiceOption('count WHAT', COUNTABLE)(what), rest, opts),
    ).option('--additional', 'only those the block added (txs, users, accounts, contracts)'),
    'up to the block',
  );
  ledgerQuery('proof', 'a Merkle proof of one key of a data account, with its block and certificate (JadeChain)', ['address', 'key'], ([address = '', key = ''], opts) => ({
    path: '/proofs/kv',
    params: { account: address, key, ...(opts.height === undefined ? {} : { height: opts.height }) },
  })).option('--height <h>', 'as of this block (default: the latest)', HEIGHT);
}
