import { Address } from '@jadechain/crypto';
import type { EventStreamKind, EventStreamRequest } from '@jadechain/types';

/**
 * The push-event protocol of `GET /ledgers/{ledger}/events/ws` (docs/api.md §push): JSON text
 * frames. A client subscribes to a stream from a position; every event carries its position in
 * the ledger (not in the connection), so a client that reconnects resumes exactly after the last
 * event it saw. The request shapes are @jadechain/types' (the SDK subscribes with the same).
 */

/** Where a stream stands: the next event it will send. */
export type Cursor =
  | { readonly kind: 'blocks'; readonly height: number }
  | { readonly kind: 'transactions'; readonly height: number; readonly index: number }
  | { readonly kind: 'userEvents'; readonly account: string; readonly topic: string; readonly sequence: number };


export type ClientMessage =
  | { readonly type: 'subscribe'; readonly id: string; readonly request: EventStreamRequest }
  | { readonly type: 'unsubscribe'; readonly id: string };

export type EventStreamErrorCode =
  | 'MALFORMED_MESSAGE'
  | 'UNKNOWN_TYPE'
  | 'UNKNOWN_KIND'
  | 'INVALID_FIELD'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_SUBSCRIPTION'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'UNKNOWN_LEDGER'
  | 'STREAM_FAILED';

/** A refused message or a failed subscription, sent as an `error` frame; the socket stays open. */
export class EventStreamError extends Error {
  readonly code: EventStreamErrorCode;
  /** The subscription concerned, when the message named one. */
  readonly id: string | undefined;

  constructor(code: EventStreamErrorCode, message: string, id?: string) {
    super(message);
    this.name = 'EventStreamError';
    this.code = code;
    this.id = id;
  }
}

/** WebSocket close code for a client that stopped reading (4000–4999 are the application's). */
export const SLOW_CONSUMER_CLOSE = 4008;

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_TOPIC_LENGTH = 256;
const FIELDS: Readonly<Record<EventStreamKind, readonly string[]>> = {
  blocks: ['fromHeight'],
  transactions: ['fromHeight', 'fromIndex'],
  userEvents: ['account', 'topic', 'fromSequence'],
};

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one client frame; every refusal names the field at fault. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EventStreamError('MALFORMED_MESSAGE', `the frame is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new EventStreamError('MALFORMED_MESSAGE', 'the frame is not a JSON object');
  const rawId = value['id'];
  const knownId = typeof rawId === 'string' && ID.test(rawId) ? rawId : undefined;
  const type = value['type'];
  if (type !== 'subscribe' && type !== 'unsubscribe') {
    throw new EventStreamError('UNKNOWN_TYPE', `type must be "subscribe" or "unsubscribe", got ${JSON.stringify(type) ?? 'nothing'}`, knownId);
  }
  if (knownId === undefined) throw new EventStreamError('INVALID_FIELD', 'id must be 1 to 64 characters of A-Z a-z 0-9 _ . : -');
  const id = knownId;
  if (type === 'unsubscribe') {
    expectOnly(value, ['type', 'id'], id);
    return { type, id };
  }
  const kind = value['kind'];
  if (kind !== 'blocks' && kind !== 'transactions' && kind !== 'userEvents') {
    throw new EventStreamError('UNKNOWN_KIND', `kind must be "blocks", "transactions" or "userEvents", got ${JSON.stringify(kind) ?? 'nothing'}`, id);
  }
  expectOnly(value, ['type', 'id', 'kind', ...FIELDS[kind]], id);
  const position = (name: string): { readonly [name: string]: number } => {
    const field = value[name];
    if (field === undefined) return {};
    if (typeof field !== 'number' || !Number.isSafeInteger(field) || field < 0) {
      throw new EventStreamError('INVALID_FIELD', `${name} must be a non-negative integer, got ${JSON.stringify(field)}`, id);
    }
    return { [name]: field };
  };
  switch (kind) {
    case 'blocks':
      return { type, id, request: { kind, ...position('fromHeight') } };
    case 'transactions':
      if (value['fromIndex'] !== undefined && value['fromHeight'] === undefined) {
        throw new EventStreamError('INVALID_FIELD', 'fromIndex needs fromHeight', id);
      }
      return { type, id, request: { kind, ...position('fromHeight'), ...position('fromIndex') } };
    case 'userEvents':
      return { type, id, request: { kind, account: accountOf(value['account'], id), topic: topicOf(value['topic'], id), ...position('fromSequence') } };
  }
}

function expectOnly(value: Readonly<Record<string, unknown>>, allowed: readonly string[], id: string): void {
  const extra = Object.keys(value).find((name) => !allowed.includes(name));
  if (extra !== undefined) throw new EventStreamError('INVALID_FIELD', `unexpected field ${JSON.stringify(extra.slice(0, 64))} (allowed: ${allowed.join(', ')})`, id);
}

function accountOf(value: unknown, id: string): string {
  if (typeof value !== 'string') throw new EventStreamError('INVALID_FIELD', 'account must be the event account\'s base58 address', id);
  try {
    return Address.fromBase58(value).toBase58();
  } catch (error) {
    throw new EventStreamError('INVALID_FIELD', `account ${JSON.stringify(value.slice(0, 100))} is not a base58 address: ${(error as Error).message}`, id);
  }
}

function topicOf(value: unknown, id: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOPIC_LENGTH) {
    throw new EventStreamError('INVALID_FIELD', `topic must be a text of 1 to ${MAX_TOPIC_LENGTH} characters`, id);
  }
  return value;
}

/** The position fields of a cursor, named as in a subscribe message (what a client resumes with). */
export function cursorFields(cursor: Cursor): Readonly<Record<string, number>> {
  switch (cursor.kind) {
    case 'blocks':
      return { fromHeight: cursor.height };
    case 'transactions':
      return { fromHeight: cursor.height, fromIndex: cursor.index };
    case 'userEvents':
      return { fromSequence: cursor.sequence };
  }
}
