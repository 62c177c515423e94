import type { Address } from '@jadechain/crypto';
import { MAX_PAGE, kvEntries } from '@jadechain/ledger';
import type { LedgerView } from '@jadechain/ledger';
import type { JsonValue } from '@jadechain/types';
import { QueryError } from './errors.js';
import { kvEntryJson, missingEntryJson } from './json.js';
import { parseAddress, parsePage } from './params.js';
import type { RouteRequest, Router } from './router.js';
import { found } from './routes-accounts.js';

/** §7.5: a data account's KV entries (latest values, by keys, chosen versions, counts). */
export function addEntryRoutes(router: Router): void {
  const both = ['GET', 'POST'] as const;
  router.ledger('/accounts/address/:address/entries/count', (ledger, request) => {
    const address = accountAddress(request);
    return found(ledger.tip.state().dataAccount(address), 'data account', address).entryCount;
  });
  router.ledger(
    '/accounts/address/:address/entries',
    (ledger, request) => {
      const address = requireAccount(ledger.tip, accountAddress(request));
      const { from, count } = parsePage(request.query);
      return kvEntries(ledger.tip, address, from, count).map(kvEntryJson);
    },
    both,
  );
  router.ledger(
    '/accounts/:address/entries',
    (ledger, request) => {
      const address = requireAccount(ledger.tip, accountAddress(request));
      const state = ledger.tip.state();
      return requestedKeys(request).map((key) => {
        const entry = state.kvEntry(address, key);
        return entry === undefined ? missingEntryJson(key) : kvEntryJson(entry);
      });
    },
    both,
  );
  router.ledger(
    '/accounts/:address/entries-version',
    (ledger, request) => {
      const address = requireAccount(ledger.tip, accountAddress(request));
      const state = ledger.tip.state();
      return requestedVersions(request.body).map(({ key, version }) => {
        const entry = state.kvEntry(address, key, version);
        return entry === undefined ? missingEntryJson(key) : kvEntryJson(entry);
      });
    },
    both,
  );
}

function accountAddress({ params }: RouteRequest): Address {
  return parseAddress(params['address'] ?? '', 'account address');
}

function requireAccount(view: LedgerView, address: Address): Address {
  found(view.state().dataAccount(address), 'data account', address);
  return address;
}

/** `keys=k1,k2` from the query, or from a POSTed body (`{"keys": "k1,k2"}` or `{"keys": ["k1", "k2"]}`). */
function requestedKeys({ query, body }: RouteRequest): string[] {
  let keys: readonly unknown[] | undefined;
  const fromBody = isObject(body) ? body['keys'] : undefined;
  const text = query['keys'] ?? (typeof fromBody === 'string' ? fromBody : undefined);
  if (text !== undefined) keys = text.split(',');
  else if (Array.isArray(fromBody)) keys = fromBody;
  if (keys === undefined || keys.length === 0) throw new QueryError('INVALID_PARAMETER', 'keys is required (keys=k1,k2)');
  if (keys.length > MAX_PAGE) throw new QueryError('INVALID_PARAMETER', `at most ${MAX_PAGE} keys per request, got ${keys.length}`);
  return keys.map((key) => {
    if (typeof key !== 'string' || key === '') throw new QueryError('INVALID_PARAMETER', 'every key must be a non-empty string');
    return key;
  });
}

/** The body `{"data": [{"key": "k", "version": [0, 1]}]}`, flattened; at most MAX_PAGE versions. */
function requestedVersions(body: unknown): { key: string; version: number }[] {
  const data = isObject(body) ? body['data'] : undefined;
  if (!Array.isArray(data)) throw new QueryError('INVALID_BODY', 'expected a JSON body {"data": [{"key": "k", "version": [0, 1]}]}');
  const out: { key: string; version: number }[] = [];
  for (const item of data as readonly unknown[]) {
    const key = isObject(item) ? item['key'] : undefined;
    const versions = isObject(item) ? item['version'] : undefined;
    if (typeof key !== 'string' || key === '' || !Array.isArray(versions)) {
      throw new QueryError('INVALID_BODY', 'each item of "data" needs a "key" string and a "version" array');
    }
    for (const version of versions as readonly JsonValue[]) {
      if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
        throw new QueryError('INVALID_BODY', `versions of "${key}" must be non-negative integers`);
      }
      out.push({ key, version });
    }
  }
  if (out.length > MAX_PAGE) throw new QueryError('INVALID_BODY', `at most ${MAX_PAGE} versions per request, got ${out.length}`);
  return out;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
