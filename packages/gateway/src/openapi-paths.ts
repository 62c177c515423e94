/**
 * The JD Chain query paths the gateway forwards to its peers, written out from the tables of
 * docs/api.md (the query library's router keeps its table private). Each becomes a route of its
 * own with a schema, so that /openapi.json lists every path with its parameters.
 */
export type QueryParamSet = 'page' | 'events' | 'numOfBlocks' | 'keys' | 'proof';

export interface QueryPath {
  /** Fastify's pattern below /ledgers/:ledger ('' for the ledger itself); `{block}` stands for height/:height and hash/:blockHash. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly query?: QueryParamSet;
  /** The path also takes POST (with a JSON or form body). */
  readonly post?: boolean;
}

const COUNTED = [
  ['txs', 'transactions'],
  ['users', 'users'],
  ['accounts', 'data accounts'],
  ['contracts', 'contracts'],
] as const;

const countPaths: QueryPath[] = COUNTED.flatMap(([segment, noun]) => [
  { path: `/${segment}/count`, summary: `Number of ${noun} up to the latest block`, tag: 'counts' },
  { path: `/${segment}/additional-count`, summary: `Number of ${noun} the latest block added`, tag: 'counts' },
  { path: `/blocks/${segment}/additional-count`, summary: `Number of ${noun} the latest block added`, tag: 'counts' },
  { path: `/blocks/{block}/${segment}/count`, summary: `Number of ${noun} up to and including the block`, tag: 'counts' },
  { path: `/blocks/{block}/${segment}/additional-count`, summary: `Number of ${noun} the block added`, tag: 'counts' },
]);

const eventPaths = (base: string, what: string): QueryPath[] => [
  { path: `${base}/names`, summary: `Names of ${what}`, tag: 'events', query: 'page' },
  { path: `${base}/names/count`, summary: `Number of names of ${what}`, tag: 'events' },
  { path: `${base}/names/:name`, summary: `Events of one name, from a sequence on`, tag: 'events', query: 'events' },
  { path: `${base}/names/:name/latest`, summary: 'The latest event of one name (null if none)', tag: 'events' },
  { path: `${base}/names/:name/count`, summary: 'Number of events of one name', tag: 'events' },
];

/** Paths under /ledgers/:ledger. */
export const LEDGER_QUERY_PATHS: readonly QueryPath[] = [
  { path: '', summary: 'The ledger: its hash and latest block', tag: 'ledgers' },
  { path: '/metadata', summary: 'Ledger metadata (seed, roots, identity mode, creation time)', tag: 'ledgers' },
  { path: '/settings', summary: 'Ledger settings (crypto, consensus, participants, genesis users, limits)', tag: 'ledgers' },
  { path: '/settings/crypto', summary: 'Crypto settings', tag: 'ledgers' },
  { path: '/admininfo', summary: 'Administrative information', tag: 'ledgers' },
  { path: '/participants', summary: 'Consensus participants', tag: 'ledgers' },
  { path: '/participants/count', summary: 'Number of participants', tag: 'ledgers' },
  { path: '/blocks/latest', summary: 'The latest block', tag: 'blocks' },
  { path: '/blocks', summary: 'The latest blocks newest first, then the genesis block', tag: 'blocks', query: 'numOfBlocks' },
  { path: '/blocks/{block}', summary: 'A block', tag: 'blocks' },
  ...countPaths,
  { path: '/blocks/{block}/txs', summary: 'Transactions of blocks 0 to this one, numbered across blocks', tag: 'transactions', query: 'page' },
  { path: '/blocks/{block}/txs/additional-txs', summary: "The block's own transactions", tag: 'transactions', query: 'page' },
  { path: '/txs/hash/:txHash', summary: 'A committed transaction with its result', tag: 'transactions' },
  { path: '/txs/state/:txHash', summary: "A committed transaction's execution state", tag: 'transactions' },
  { path: '/users', summary: 'Users in registration order', tag: 'users', query: 'page' },
  { path: '/users/address/:address', summary: 'A user', tag: 'users' },
  { path: '/authorization/role/:roleName', summary: "A role's privileges", tag: 'users' },
  { path: '/authorization/user/:userAddress', summary: "A user's roles and privileges", tag: 'users' },
  { path: '/accounts', summary: 'Data accounts in registration order', tag: 'data accounts', query: 'page' },
  { path: '/accounts/address/:address', summary: 'A data account', tag: 'data accounts' },
  { path: '/accounts/address/:address/entries/count', summary: "Number of the account's keys", tag: 'data accounts' },
  { path: '/accounts/address/:address/entries', summary: 'Latest KV entries in first-write order', tag: 'data accounts', query: 'page', post: true },
  { path: '/accounts/:address/entries', summary: 'Latest KV entries of the given keys', tag: 'data accounts', query: 'keys', post: true },
  { path: '/accounts/:address/entries-version', summary: 'Chosen versions of keys (body {"data":[{"key","version":[…]}]})', tag: 'data accounts', post: true },
  { path: '/contracts', summary: 'Contracts in deployment order', tag: 'contracts', query: 'page' },
  { path: '/contracts/address/:address', summary: 'A contract at its latest version', tag: 'contracts' },
  { path: '/contracts/address/:address/compiled', summary: 'A contract with its code in base64', tag: 'contracts' },
  { path: '/contracts/address/:address/version/:version', summary: 'A contract at a version', tag: 'contracts' },
  { path: '/contracts/address/:address/version/:version/compiled', summary: 'A contract at a version, code in base64', tag: 'contracts' },
  ...eventPaths('/events/system', 'system events'),
  { path: '/events/user/accounts', summary: 'Event accounts', tag: 'events', query: 'page' },
  { path: '/events/user/accounts/count', summary: 'Number of event accounts', tag: 'events' },
  { path: '/events/user/accounts/:address', summary: 'An event account', tag: 'events' },
  ...eventPaths('/events/user/accounts/:address', "an event account's topics"),
  { path: '/proofs/kv', summary: 'A KV entry (or its absence) with its Merkle proof, block header and commit certificate', tag: 'proofs', query: 'proof' },
];

/** Every query path as Fastify patterns, the `{block}` forms expanded. */
export function queryRoutePatterns(): Array<QueryPath & { readonly url: string }> {
  const top: Array<QueryPath & { url: string }> = [
    { path: '/ledgers', url: '/ledgers', summary: 'Hashes of the ledgers served', tag: 'ledgers' },
    { path: '/ledgers/count', url: '/ledgers/count', summary: 'Number of ledgers served', tag: 'ledgers' },
  ];
  return top.concat(
    LEDGER_QUERY_PATHS.flatMap((entry) =>
      (entry.path.includes('{block}') ? [entry.path.replace('{block}', 'height/:height'), entry.path.replace('{block}', 'hash/:blockHash')] : [entry.path]).map(
        (path) => ({ ...entry, url: `/ledgers/:ledger${path}` }),
      ),
    ),
  );
}
