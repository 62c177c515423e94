/**
 * The shapes of the push-event protocol (`GET /ledgers/{ledger}/events/ws`, docs/api.md §push),
 * shared by the gateway that serves it and the SDK that subscribes. Positions are the ledger's
 * (block height, transaction index, event sequence), so a client that reconnects resumes exactly
 * after the last event it saw.
 */
export type EventStreamKind = 'blocks' | 'transactions' | 'userEvents';

/** A subscription as asked for: without a starting position it starts after what is committed now. */
export type EventStreamRequest =
  | { readonly kind: 'blocks'; readonly fromHeight?: number }
  | { readonly kind: 'transactions'; readonly fromHeight?: number; readonly fromIndex?: number }
  | { readonly kind: 'userEvents'; readonly account: string; readonly topic: string; readonly fromSequence?: number };
