import type { EventStreamRequest } from '@jadechain/types';

/**
 * Push events from a gateway (`/ledgers/{ledger}/events/ws`, docs/api.md §push): new blocks,
 * transaction results, and user events of one account's topic. Positions come from the ledger,
 * so after a dropped connection the client reconnects (with backoff), asks each stream to go on
 * right after the last event it delivered, and drops anything it already delivered: every event
 * reaches the handler once, in order.
 */

/** A subscription: which stream, and optionally where it starts (the gateway's own request shape). */
export type EventRequest = EventStreamRequest;

/** An event and its position: `data` is the JSON the query API gives for the same thing. */
export type ChainEvent =
  | { readonly kind: 'blocks'; readonly height: number; readonly data: unknown }
  | { readonly kind: 'transactions'; readonly height: number; readonly index: number; readonly data: unknown }
  | { readonly kind: 'userEvents'; readonly sequence: number; readonly data: unknown };

/** The part of the WebSocket API used here: the browser's global, or e.g. the `ws` package's class in Node. */
export interface WebSocketLike {
  readonly readyState: number;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: object) => void): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface EventsClientOptions {
  /** The WebSocket class; by default the global one (browsers, Node 22+). */
  readonly webSocket?: WebSocketConstructor;
  /** Reconnection delays: doubling from `initialMs` (default 100) up to `maxMs` (default 5 000). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Hears errors that concern no subscription, and handler failures. */
  readonly onError?: (error: Error) => void;
}

/** The gateway refused a subscription or its stream failed (`code` as in the gateway's error frame); the subscription has ended. */
export class SubscriptionError extends Error {
  readonly code: string;
  readonly subscriptionId: string | undefined;

  constructor(code: string, message: string, subscriptionId?: string) {
    super(message);
    this.name = 'SubscriptionError';
    this.code = code;
    this.subscriptionId = subscriptionId;
  }
}

export interface Subscription {
  readonly id: string;
  /** The position the stream resumes from after a reconnection (undefined until the gateway confirmed it). */
  readonly resumeFrom: Readonly<Record<string, number>> | undefined;
  unsubscribe(): void;
}

export function positionOf(request: EventRequest): Readonly<Record<string, number>> | undefined {
  const { fromHeight, fromIndex, fromSequence } = request as { fromHeight?: number; fromIndex?: number; fromSequence?: number };
  if (request.kind === 'userEvents') return fromSequence === undefined ? undefined : { fromSequence };
  if (fromHeight === undefined) return undefined;
  return request.kind === 'transactions' ? { fromHeight, fromIndex: fromIndex ?? 0 } : { fromHeight };
}

/** The event's position, or undefined when the frame does not carry one of the right shape. */
export function eventOf(kind: EventRequest['kind'], frame: Readonly<Record<string, unknown>>): ChainEvent | undefined {
  const natural = (name: string): number | undefined => {
    const value = frame[name];
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  };
  const [height, index, sequence] = [natural('height'), natural('index'), natural('sequence')];
  if (kind === 'blocks' && height !== undefined) return { kind, height, data: frame['data'] };
  if (kind === 'transactions' && height !== undefined && index !== undefined) return { kind, height, index, data: frame['data'] };
  if (kind === 'userEvents' && sequence !== undefined) return { kind, sequence, data: frame['data'] };
  return undefined;
}

/** Whether `event` lies at or after the position `next` (older events were delivered already). */
export function isDue(event: ChainEvent, next: Readonly<Record<string, number>> | undefined): boolean {
  if (next === undefined) return true;
  switch (event.kind) {
    case 'blocks':
      return event.height >= (next['fromHeight'] ?? 0);
    case 'transactions': {
      const height = next['fromHeight'] ?? 0;
      return event.height > height || (event.height === height && event.index >= (next['fromIndex'] ?? 0));
    }
    case 'userEvents':
      return event.sequence >= (next['fromSequence'] ?? 0);
  }
}

export function after(event: ChainEvent): Readonly<Record<string, number>> {
  switch (event.kind) {
    case 'blocks':
      return { fromHeight: event.height + 1 };
    case 'transactions':
      return { fromHeight: event.height, fromIndex: event.index + 1 };
    case 'userEvents':
      return { fromSequence: event.sequence + 1 };
  }
}
