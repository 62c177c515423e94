import { EventStreamError, type Cursor } from './ws-protocol.js';
import type { EventStreamRequest } from '@jadechain/types';

/** A GET through a peer's QUERY channel: the JD Chain envelope as text (transport failures throw). */
export type PeerQuery = (path: string, query: string) => Promise<{ readonly status: number; readonly body: string }>;

/** One event read from the ledger: its position fields (as sent to the client) and its JSON. */
export interface FeedEvent {
  readonly position: Readonly<Record<string, number>>;
  readonly data: unknown;
}

/** What one read brought: events in order, the cursor after them, and whether the stream reached the tip it was given. */
export interface FeedPage {
  readonly events: readonly FeedEvent[];
  readonly next: Cursor;
  readonly caughtUp: boolean;
}

/** The query API's numbers (docs/api.md) that a stream treats as "nothing here yet" or as fatal. */
export const LEDGER_NOT_FOUND = 1001;
const BLOCK_NOT_FOUND = 1002;
const ACCOUNT_NOT_FOUND = 1004;
/**
 * Transactions read per query: small, because a page must fit one QUERY response (4 MiB) and a
 * transaction may be large.
 */
const TRANSACTION_PAGE = 10;
/** JD Chain's page cap for user events. */
const EVENT_PAGE = 100;

type Answer = { readonly found: true; readonly data: unknown } | { readonly found: false };

/** Reads a query path; a miss (no such block or account yet) is `found:false`, an unknown ledger or a fault throws. */
async function read(query: PeerQuery, path: string, parameters: string): Promise<Answer> {
  const response = await query(path, parameters);
  const envelope = JSON.parse(response.body) as { success?: boolean; data?: unknown; error?: { errorCode?: number; errorMessage?: string } };
  if (envelope.success === true) return { found: true, data: envelope.data };
  const code = envelope.error?.errorCode;
  if (code === BLOCK_NOT_FOUND || code === ACCOUNT_NOT_FOUND) return { found: false };
  if (code === LEDGER_NOT_FOUND) throw new EventStreamError('UNKNOWN_LEDGER', envelope.error?.errorMessage ?? 'no peer holds this ledger');
  throw new EventStreamError('STREAM_FAILED', `the peer answered ${path}: ${code ?? response.status} ${envelope.error?.errorMessage ?? ''}`.trim());
}

function userEventsPath(ledger: string, account: string, topic: string): string {
  return `/ledgers/${ledger}/events/user/accounts/${account}/names/${encodeURIComponent(topic)}`;
}

/** Where a new subscription starts: its own position, or just after what is committed at `tip`. */
export async function startCursor(query: PeerQuery, ledger: string, request: EventStreamRequest, tip: number): Promise<Cursor> {
  switch (request.kind) {
    case 'blocks':
      return { kind: 'blocks', height: request.fromHeight ?? tip + 1 };
    case 'transactions':
      return { kind: 'transactions', height: request.fromHeight ?? tip + 1, index: request.fromIndex ?? 0 };
    case 'userEvents': {
      const { account, topic } = request;
      if (request.fromSequence !== undefined) return { kind: 'userEvents', account, topic, sequence: request.fromSequence };
      // A topic's count is the sequence its next event will get (JD Chain's per-topic numbering from 0).
      const count = await read(query, `${userEventsPath(ledger, account, topic)}/count`, '');
      return { kind: 'userEvents', account, topic, sequence: count.found ? Number(count.data) : 0 };
    }
  }
}

/**
 * Reads the next events after `cursor` from a peer, up to the committed `tip` the caller knows
 * of. Blocks and their transactions are immutable once committed, so a position at or below the
 * tip is final; a peer that lags behind that tip answers "not found" and the stream waits.
 */
export async function readFeed(query: PeerQuery, ledger: string, cursor: Cursor, tip: number): Promise<FeedPage> {
  const waiting: FeedPage = { events: [], next: cursor, caughtUp: true };
  switch (cursor.kind) {
    case 'blocks': {
      if (cursor.height > tip) return waiting;
      const block = await read(query, `/ledgers/${ledger}/blocks/height/${cursor.height}`, '');
      if (!block.found) return waiting;
      return { events: [{ position: { height: cursor.height }, data: block.data }], next: { kind: 'blocks', height: cursor.height + 1 }, caughtUp: false };
    }
    case 'transactions': {
      const { height, index } = cursor;
      if (height > tip) return waiting;
      const page = await read(query, `/ledgers/${ledger}/blocks/height/${height}/txs/additional-txs`, `fromIndex=${index}&count=${TRANSACTION_PAGE}`);
      if (!page.found || !Array.isArray(page.data)) return waiting;
      const events = page.data.map((data: unknown, offset): FeedEvent => ({ position: { height, index: index + offset }, data }));
      // A short page ends the block: the stream goes on at the next height's first transaction.
      const next: Cursor = events.length < TRANSACTION_PAGE ? { kind: 'transactions', height: height + 1, index: 0 } : { kind: 'transactions', height, index: index + events.length };
      return { events, next, caughtUp: false };
    }
    case 'userEvents': {
      const { account, topic, sequence } = cursor;
      const page = await read(query, userEventsPath(ledger, account, topic), `fromSequence=${sequence}&count=${EVENT_PAGE}`);
      if (!page.found || !Array.isArray(page.data) || page.data.length === 0) return waiting;
      const events = page.data.map((data: unknown, offset): FeedEvent => {
        const at = sequence + offset;
        const recorded = (data as { sequence?: unknown }).sequence;
        if (recorded !== at) throw new EventStreamError('STREAM_FAILED', `the peer sent event ${String(recorded)} of topic ${topic} where ${at} was due`);
        return { position: { sequence: at }, data };
      });
      return { events, next: { ...cursor, sequence: sequence + events.length }, caughtUp: false };
    }
  }
}
