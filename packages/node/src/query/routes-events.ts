import type { Address } from '@jadechain/crypto';
import { accountCount, eventTopics, events } from '@jadechain/ledger';
import type { Ledger, LedgerView } from '@jadechain/ledger';
import type { JsonValue } from '@jadechain/types';
import { QueryError } from './errors.js';
import { NEW_BLOCK_CREATED, eventJson, identityJson, newBlockEventJson, permissionJson } from './json.js';
import { parseAddress, parsePage } from './params.js';
import type { RouteRequest, Router } from './router.js';
import { accountList, found } from './routes-accounts.js';
import { blockAt, pageLimit } from './routes-blocks.js';

/** §7.7: system events (one per block) and user events (event accounts, topics, sequences). */
export function addEventRoutes(router: Router): void {
  const system = '/events/system/names';
  router.ledger(system, (_ledger, { query }) => {
    const { from, count } = parsePage(query);
    return [NEW_BLOCK_CREATED].slice(from, from + pageLimit(count));
  });
  router.ledger(`${system}/count`, () => 1);
  router.ledger(`${system}/:name`, (ledger, request) => {
    systemEventName(request);
    const { from, count } = parsePage(request.query, 'fromSequence');
    const out: JsonValue[] = [];
    for (let height = from; height <= ledger.tip.height && out.length < pageLimit(count); height++) out.push(newBlockEvent(ledger, height));
    return out;
  });
  router.ledger(`${system}/:name/latest`, (ledger, request) => {
    systemEventName(request);
    return newBlockEvent(ledger, ledger.tip.height);
  });
  router.ledger(`${system}/:name/count`, (ledger, request) => {
    systemEventName(request);
    return ledger.tip.height + 1;
  });

  const user = '/events/user/accounts';
  router.ledger(user, (ledger, request) => accountList(ledger.tip, 'eventAccounts', request));
  router.ledger(`${user}/count`, (ledger) => accountCount(ledger.tip, 'eventAccounts'));
  router.ledger(`${user}/:address`, (ledger, request) => {
    const account = eventAccount(ledger.tip, request);
    const { address, pubKey, permission } = account.account;
    return { ...identityJson(address, pubKey), iD: identityJson(address, pubKey), topicCount: account.entryCount, permission: permissionJson(permission) };
  });
  router.ledger(`${user}/:address/names`, (ledger, request) => {
    const address = eventAccount(ledger.tip, request).account.address;
    const { from, count } = parsePage(request.query);
    return eventTopics(ledger.tip, address, from, count);
  });
  router.ledger(`${user}/:address/names/count`, (ledger, request) => eventAccount(ledger.tip, request).entryCount);
  router.ledger(`${user}/:address/names/:name`, (ledger, request) => {
    const address = eventAccount(ledger.tip, request).account.address;
    const { from, count } = parsePage(request.query, 'fromSequence');
    return events(ledger.tip, address, request.params['name'] ?? '', from, count).map(eventJson);
  });
  router.ledger(`${user}/:address/names/:name/latest`, (ledger, request) => {
    const latest = latestEvent(ledger.tip, eventAccount(ledger.tip, request).account.address, request);
    return latest === undefined ? null : eventJson(latest);
  });
  router.ledger(`${user}/:address/names/:name/count`, (ledger, request) => {
    const latest = latestEvent(ledger.tip, eventAccount(ledger.tip, request).account.address, request);
    return latest === undefined ? 0 : Number(latest.sequence) + 1;
  });
}

function systemEventName({ params }: RouteRequest): void {
  const name = params['name'] ?? '';
  if (name !== NEW_BLOCK_CREATED) throw new QueryError('EVENT_NOT_FOUND', `no system event "${name}" (only ${NEW_BLOCK_CREATED})`);
}

function newBlockEvent(ledger: Ledger, height: number): JsonValue {
  return newBlockEventJson(height, blockAt(ledger, height).blockHash);
}

function eventAccount(view: LedgerView, { params }: RouteRequest) {
  const address = parseAddress(params['address'] ?? '', 'event account address');
  return found(view.state().eventAccount(address), 'event account', address);
}

function latestEvent(view: LedgerView, address: Address, { params }: RouteRequest) {
  return view.state().event(address, params['name'] ?? '');
}
