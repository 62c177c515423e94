/**
 * The author kit: what a contract sees. A contract is a module whose exported functions are its
 * methods; each receives a `ContractContext` first, then the invocation's arguments:
 *
 *     import type { ContractContext } from '@jadechain/contracts';
 *     export function transfer(ctx: ContractContext, to: string, amount: bigint): bigint { ... }
 *
 * Arguments arrive as: INT64/TIMESTAMP → bigint, TEXT → string, BOOLEAN → boolean, NIL → null,
 * BYTES → Uint8Array, JSON → parsed value, keys/signatures/hashes → base58 string. A returned
 * value goes back the same way (safe-integer numbers become INT64; floats are refused).
 * Addresses are base58 strings. Date, Math.random, eval, Function, WeakRef and
 * FinalizationRegistry are not available: touching them fails the invocation (FORBIDDEN_API).
 */
export type ContractValue = null | boolean | bigint | number | string | Uint8Array | TypedMarker | JsonData;
export type JsonData = { readonly [key: string]: unknown } | readonly unknown[];

/** A value tagged with a type that plain JavaScript cannot express (see `ctx.typed`). */
export interface TypedMarker {
  readonly __jadechainType: 'TIMESTAMP' | 'HASH' | 'PUBKEY' | 'SIGNATURE';
  readonly value: bigint | string;
}

export interface KvEntry<V = unknown> {
  readonly version: bigint;
  readonly value: V;
}

export interface AccountInfo {
  readonly kind: 'USER' | 'DATA' | 'EVENT' | 'CONTRACT';
  readonly address: string;
  readonly owners: readonly string[];
  readonly modeBits: number;
  readonly state: 'NORMAL' | 'FREEZE' | 'REVOKE';
}

export interface ContractContext {
  /** This contract's address. */
  readonly self: string;
  /** Who called: the first signer of the transaction, or the calling contract. */
  readonly caller: string;
  /** The transaction's endpoint signers. */
  readonly signers: readonly string[];
  readonly tx: { readonly hash: string; readonly blockHeight: bigint; readonly blockTimestamp: bigint };
  readonly kv: {
    /** The latest entry of `key` in data account `account`, or null. */
    get<V = unknown>(account: string, key: string): KvEntry<V> | null;
    /** Writes a new version (checked against `expectedVersion` when given); returns it. */
    set(account: string, key: string, value: ContractValue, expectedVersion?: bigint): bigint;
  };
  readonly events: {
    /** Publishes on `topic` of event account `account`; returns the event's sequence. */
    publish(account: string, topic: string, content: ContractValue): bigint;
  };
  readonly accounts: { get(address: string): AccountInfo | null };
  /** Calls another contract and returns its result; its failure throws (with `code`) and undoes its writes. */
  call(address: string, method: string, ...args: ContractValue[]): unknown;
  readonly typed: {
    timestamp(ms: bigint): TypedMarker;
    hash(base58: string): TypedMarker;
    pubKey(base58: string): TypedMarker;
    signature(base58: string): TypedMarker;
  };
}
