import { QUERY_ERRORS, QueryError, type QueryResponse } from '../query/index.js';
import { optionalNonNegative } from '../query/params.js';
import type { LedgerHost } from './ledger-host.js';
import type { QueryBridge } from './query-bridge.js';

/**
 * The tip long poll behind the gateway's push events (spec/node-protocol.md §6): a QUERY for
 * `GET /ledgers/{ledger}/events/tip?after=H&waitMs=W` is answered with `{height}` as soon as the
 * committed tip is above H, or with the current tip once W milliseconds have passed. The gateway
 * then reads what is new through the ordinary query paths, so live events and history are read the
 * same way and no notice can be lost: a gateway that missed one simply asks again.
 */
const TIP_PATH = /^\/ledgers\/([^/]+)\/events\/tip$/;

/** Longest wait a caller may ask for; it must stay below the caller's own request timeout. */
export const MAX_TIP_WAIT_MS = 30_000;

interface TipWaiter {
  readonly after: number;
  readonly answer: () => void;
}

/** Wraps the peer's query bridge: tip polls are answered here, everything else by the query library. */
export function withTipWaits(bridge: QueryBridge, hosts: ReadonlyMap<string, LedgerHost>): QueryBridge {
  const waiters = new Map<string, Set<TipWaiter>>();
  for (const [ledger, host] of hosts) {
    host.onCommitted((block) => {
      for (const waiter of waiters.get(ledger) ?? []) if (block.height > waiter.after) waiter.answer();
    });
  }
  return {
    service: bridge.service,
    answer: async (request) => {
      const match = request.method === 'GET' ? TIP_PATH.exec(request.path) : null;
      if (match === null) return bridge.answer(request);
      const ledger = decodeURIComponent(match[1] ?? '');
      const host = hosts.get(ledger);
      if (host === undefined) return failure(new QueryError('LEDGER_NOT_FOUND', `this peer holds no ledger ${ledger.slice(0, 100)}`));
      let after: number;
      let waitMs: number;
      try {
        const query = new URLSearchParams(request.query);
        const single = (name: string): Record<string, string> => {
          const value = query.get(name);
          return value === null ? {} : { [name]: value };
        };
        after = optionalNonNegative(single('after'), 'after', -1);
        waitMs = optionalNonNegative(single('waitMs'), 'waitMs', 0);
        if (waitMs > MAX_TIP_WAIT_MS) throw new QueryError('INVALID_NUMBER', `waitMs must be at most ${MAX_TIP_WAIT_MS}, got ${waitMs}`);
      } catch (error) {
        if (error instanceof QueryError) return failure(error);
        throw error;
      }
      if (host.ledger.tip.height > after || waitMs === 0) return tip(host);
      return new Promise<QueryResponse>((resolve) => {
        let list = waiters.get(ledger);
        if (list === undefined) waiters.set(ledger, (list = new Set()));
        const waiter: TipWaiter = {
          after,
          answer: () => {
            clearTimeout(timer);
            list.delete(waiter);
            resolve(tip(host));
          },
        };
        // Unreferenced: a pending poll never keeps a stopping peer alive.
        const timer = setTimeout(waiter.answer, waitMs).unref();
        list.add(waiter);
      });
    },
  };
}

function tip(host: LedgerHost): QueryResponse {
  return { status: 200, body: { success: true, data: { height: host.ledger.tip.height } } };
}

function failure(error: QueryError): QueryResponse {
  return { status: QUERY_ERRORS[error.code].status, body: { success: false, error: { errorCode: error.errorCode, errorMessage: error.message } } };
}
