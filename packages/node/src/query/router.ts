import type { Ledger } from '@jadechain/ledger';
import type { JsonValue } from '@jadechain/types';
import { QueryError } from './errors.js';
import { parseHash } from './params.js';

export type QueryMethod = 'GET' | 'POST';

/** Where the service finds its ledgers (the peer's open ledgers, keyed by base58 ledger hash). */
export interface LedgerDirectory {
  get(ledgerHashBase58: string): Ledger | undefined;
  list(): readonly Ledger[];
}

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly ledgers: LedgerDirectory;
}

export type RouteHandler = (request: RouteRequest) => JsonValue;
/** A handler under /ledgers/{ledger}/…, given the ledger already resolved. */
export type LedgerRouteHandler = (ledger: Ledger, request: RouteRequest) => JsonValue;

interface Route {
  readonly methods: readonly QueryMethod[];
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly handler: RouteHandler; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'wrongMethod' }
  | { readonly kind: 'none' };

/**
 * A table of path patterns (`/ledgers/:ledger/blocks/height/:height`): a segment is either
 * literal or a `:name` parameter matching any one segment. The first pattern that matches wins,
 * so literal paths are registered before parameters at the same place.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(methods: readonly QueryMethod[], pattern: string, handler: RouteHandler): void {
    this.routes.push({ methods, segments: splitPath(pattern), handler });
  }

  get(pattern: string, handler: RouteHandler): void {
    this.add(['GET'], pattern, handler);
  }

  /** A GET route under /ledgers/:ledger. */
  ledger(pattern: string, handler: LedgerRouteHandler, methods: readonly QueryMethod[] = ['GET']): void {
    this.add(methods, `/ledgers/:ledger${pattern}`, (request) => handler(resolveLedger(request), request));
  }

  match(method: QueryMethod, segments: readonly string[]): RouteMatch {
    let wrongMethod = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.methods.includes(method)) return { kind: 'found', handler: route.handler, params };
      wrongMethod = true;
    }
    return wrongMethod ? { kind: 'wrongMethod' } : { kind: 'none' };
  }
}

export function resolveLedger(request: RouteRequest): Ledger {
  const text = request.params['ledger'] ?? '';
  const hash = parseHash(text, 'ledger hash');
  const ledger = request.ledgers.get(hash.toBase58());
  if (ledger === undefined) throw new QueryError('LEDGER_NOT_FOUND', `this node holds no ledger ${hash.toBase58()}`);
  return ledger;
}

/** Splits a path into its segments, ignoring empty ones (a trailing slash is the same path). */
export function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] ?? '';
    const actual = segments[i] ?? '';
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}
