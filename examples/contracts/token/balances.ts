import type { ContractContext } from '@jadechain/contracts';

/** Balances live in the token's data account under "balance:<address>". */
export function balanceKey(owner: string): string {
  return `balance:${owner}`;
}

export function readBalance(ctx: ContractContext, store: string, owner: string): bigint {
  const entry = ctx.kv.get<bigint>(store, balanceKey(owner));
  return entry === null ? 0n : entry.value;
}

export function requirePositive(amount: bigint): void {
  if (typeof amount !== 'bigint' || amount <= 0n) throw new Error(`amount must be a positive integer, got ${String(amount)}`);
}
