import type { ContractContext } from '@jadechain/contracts';
import { balanceKey, readBalance, requirePositive } from './balances.js';

/**
 * A fungible token. `store` is a data account the token contract owns; `events` an event account
 * it owns. The issuer (the caller of `init`) receives the whole supply.
 */
export function init(ctx: ContractContext, store: string, events: string, supply: bigint): bigint {
  requirePositive(supply);
  if (ctx.kv.get(store, 'issuer') !== null) throw new Error('token already initialised');
  ctx.kv.set(store, 'issuer', ctx.caller);
  ctx.kv.set(store, 'events', events);
  ctx.kv.set(store, balanceKey(ctx.caller), supply);
  return supply;
}

export function balanceOf(ctx: ContractContext, store: string, owner: string): bigint {
  return readBalance(ctx, store, owner);
}

/** Moves `amount` from the caller to `to`; returns the caller's new balance. */
export function transfer(ctx: ContractContext, store: string, to: string, amount: bigint): bigint {
  requirePositive(amount);
  const from = ctx.caller;
  const fromBalance = readBalance(ctx, store, from);
  if (fromBalance < amount) throw new Error(`insufficient balance: ${fromBalance} < ${amount}`);
  ctx.kv.set(store, balanceKey(from), fromBalance - amount);
  ctx.kv.set(store, balanceKey(to), readBalance(ctx, store, to) + amount);
  const events = ctx.kv.get<string>(store, 'events');
  if (events !== null) ctx.events.publish(events.value, 'transfer', { from, to, amount: amount.toString() });
  return fromBalance - amount;
}
