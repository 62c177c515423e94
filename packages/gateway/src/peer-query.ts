import { CHANNEL, QueryRequest, QueryResponse, decodeMessage } from '@jadechain/service';
import { GatewayError } from './errors.js';
import type { PeerLinks } from './peer-links.js';

/** A peer's answer to a query: the HTTP status and the JD Chain envelope, as JSON text. */
export interface QueryAnswer {
  readonly status: number;
  readonly body: string;
}

export interface QueryCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query: string;
  readonly body?: string;
}

function encode(call: QueryCall): Uint8Array {
  return QueryRequest.encode({ method: call.method, path: call.path, query: call.query, ...(call.body === undefined ? {} : { body: call.body }) });
}

/** Asks the peer named by `key` through the QUERY channel. */
export async function askPeer(links: PeerLinks, key: string, call: QueryCall): Promise<QueryAnswer> {
  return decodeMessage(QueryResponse, await links.requestTo(key, CHANNEL.QUERY, encode(call)), 'QUERY_RESPONSE');
}

/**
 * Asks one connected peer, taking them in turn (the preferred ones first). Another peer is asked
 * when one does not answer, or answers "not found" (a lagging peer may not hold a fresh commit
 * yet); the first answer that finds it is returned, else the first "not found".
 */
export async function askAny(links: PeerLinks, call: QueryCall, preferred?: (key: string) => boolean): Promise<QueryAnswer> {
  let notFound: QueryAnswer | undefined;
  let problem = new GatewayError('PEER_UNAVAILABLE', 'no peer is connected');
  for (const peer of links.rotation(preferred)) {
    try {
      const answer = await askPeer(links, peer, call);
      if (!isNotFound(answer)) return answer;
      notFound ??= answer;
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'PEER_UNAVAILABLE') throw error;
      problem = error;
    }
  }
  if (notFound !== undefined) return notFound;
  throw problem;
}

/**
 * Whether a peer answered "no such ledger, block, transaction, account, role, version or event"
 * (codes 1001–1007, docs/api.md): a peer that lags may say so about what another has committed.
 */
export function isNotFound(answer: QueryAnswer): boolean {
  return answer.status === 200 && /^\{"success":false,"error":\{"errorCode":100[1-7],/.test(answer.body);
}

/** The `data` of a successful JD Chain envelope; undefined when the query failed or the peer could not say. */
export async function envelopeData<T>(ask: () => Promise<QueryAnswer>): Promise<T | undefined> {
  let envelope: { success?: boolean; data?: T };
  try {
    envelope = JSON.parse((await ask()).body) as typeof envelope;
  } catch (error) {
    if (error instanceof GatewayError || error instanceof SyntaxError) return undefined;
    throw error;
  }
  return envelope.success === true ? envelope.data : undefined;
}
