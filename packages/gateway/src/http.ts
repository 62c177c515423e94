import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CryptoError, HashDigest } from '@jadechain/crypto';
import { CodecError, TransactionRequest, decodeTransactionRequest } from '@jadechain/types';
import { GATEWAY_ERRORS, GatewayError } from './errors.js';
import { DEFAULT_RATE_LIMIT, installHttpLimits, isRateLimited, type HttpLimitsConfig } from './limits.js';
import type { GatewayMetrics } from './metrics.js';
import { OPERATION_SCHEMAS, SUBMIT_BINARY_SCHEMA, SUBMIT_JSON_SCHEMA, installOpenApi, registerQueryPaths } from './openapi.js';
import { codecRefusal, type Submission, type Submitter } from './submitter.js';
import type { Logger } from '@jadechain/service';

/** Ledger hashes decoded lately: every submission names one, and a gateway serves a few ledgers. */
const knownLedgers = new Map<string, HashDigest>();
const KNOWN_LEDGERS_KEPT = 64;

function ledgerOf(text: string): HashDigest {
  const known = knownLedgers.get(text);
  if (known !== undefined) return known;
  let ledger: HashDigest;
  try {
    ledger = HashDigest.fromBase58(text);
  } catch (error) {
    throw new GatewayError('BAD_BASE58', `the ledger hash ${JSON.stringify(text.slice(0, 100))} is not base58: ${(error as Error).message}`);
  }
  if (knownLedgers.size >= KNOWN_LEDGERS_KEPT) knownLedgers.clear();
  knownLedgers.set(text, ledger);
  return ledger;
}

/** A submitted request, and its content's canonical bytes when it came as bytes (hashed as they are). */
interface Parsed {
  readonly request: TransactionRequest;
  readonly contentBytes?: Uint8Array;
}

function parse(decode: () => Parsed): Parsed {
  try {
    return decode();
  } catch (error) {
    if (error instanceof CodecError || error instanceof CryptoError) throw codecRefusal(error);
    throw error;
  }
}

/**
 * Decodes and submits, in a plain function: the decoded request must not be a local of the async
 * handler, whose frame stays alive (and keeps it) until the commit is answered.
 */
function submitParsed(submitter: Submitter, ledger: HashDigest, decode: () => Parsed): Promise<Submission> {
  const parsed = parse(decode);
  return submitter.submit(ledger, parsed.request, parsed.contentBytes);
}

/** The answer to a submission: the recorded result, or 202 TIMEOUT with the hash to ask about later. */
function answer(reply: FastifyReply, submission: Submission, ledger: string): FastifyReply {
  const transactionHash = submission.transactionHash.toBase58();
  if (submission.kind === 'timeout') {
    const { errorCode, status } = GATEWAY_ERRORS.TIMEOUT;
    const errorMessage = `TIMEOUT: not committed yet; ask GET /ledgers/${ledger}/txs/state/${transactionHash}`;
    return reply.code(status).send({ success: false, error: { errorCode, errorMessage }, data: { transactionHash } });
  }
  const { outcome } = submission;
  return reply.code(200).send({
    success: true,
    data: { transactionHash, blockHeight: Number(outcome.blockHeight), executionState: outcome.state, success: outcome.state === 'SUCCESS' },
  });
}

/** Fastify's own refusals (body limit, bad JSON, content type) in the envelope, with our codes. */
function fastifyRefusal(error: FastifyError): GatewayError | undefined {
  // The body schema of a submission: the request is JSON but not a transaction's shape.
  if (error.validation !== undefined) return new GatewayError('MALFORMED_TRANSACTION', error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('BODY_TOO_LARGE', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('UNSUPPORTED_MEDIA_TYPE', error.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('MALFORMED_JSON', error.message);
    default:
      return error instanceof SyntaxError || error.statusCode === 400 ? new GatewayError('MALFORMED_JSON', error.message) : undefined;
  }
}

export interface HttpExtras {
  /** CORS and per-client rate limits; by default no CORS and DEFAULT_RATE_LIMIT. */
  readonly limits?: HttpLimitsConfig;
  /** Whether the gateway can serve (a quorum of peers connected): GET /ready answers 200, else 503. */
  readonly ready?: () => Promise<boolean>;
  /** GET /network/peers: the peers and each ledger's n, f and quorum (network-view.ts). */
  readonly network?: () => Promise<object>;
}

/** The gateway's HTTP API: submission (JSON and canonical binary), the proxied query paths, /health, /ready, /metrics and /openapi.json. */
export function buildHttp(submitter: Submitter, metrics: GatewayMetrics, logger: Logger, bodyLimit: number, health: () => object, extras: HttpExtras = {}): FastifyInstance {
  // Fastify's own 503 for requests read while it closes has a body of its own; this one is in
  // the API's envelope, like every other refusal (an SDK reads its code instead of failing to parse).
  const app = Fastify({ logger: false, bodyLimit, return503OnClosing: false });
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    void reply.header('connection', 'close');
    throw new GatewayError('CLOSING', 'the gateway is shutting down; send the request again once it is back, or to another gateway');
  });
  installOpenApi(app);
  installHttpLimits(app, extras.limits ?? { rateLimit: DEFAULT_RATE_LIMIT });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isRateLimited(error)) return reply.code(error.statusCode).send(error.envelope());
    const refusal = error instanceof GatewayError ? error : fastifyRefusal(error);
    const known = refusal ?? new GatewayError('INTERNAL_ERROR', 'the gateway failed to answer');
    metrics.answers.add(known.code);
    if (refusal === undefined) logger.error('request failed', { method: request.method, url: request.url.slice(0, 200), reason: error.message });
    else logger.warn('request refused', { method: request.method, url: request.url.slice(0, 200), code: known.code, reason: known.message.slice(0, 300) });
    if (known.code === 'MEMPOOL_FULL') void reply.header('retry-after', '1');
    void reply.code(known.status).send(known.envelope());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new GatewayError('NO_SUCH_PATH', `no path ${request.method} ${request.url.split('?', 1)[0] ?? ''}`);
    metrics.answers.add(error.code);
    void reply.code(error.status).send(error.envelope());
  });

  const submitted = async (request: FastifyRequest<{ Params: { ledger: string } }>, reply: FastifyReply, decode: () => Parsed): Promise<FastifyReply> => {
    const submission = await submitParsed(submitter, ledgerOf(request.params.ledger), decode);
    metrics.answers.add(submission.kind === 'timeout' ? 'TIMEOUT' : 'COMMITTED');
    return answer(reply, submission, request.params.ledger);
  };
  app.post<{ Params: { ledger: string } }>('/ledgers/:ledger/txs', { schema: SUBMIT_JSON_SCHEMA }, async (request, reply) => {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'send the transaction as application/json');
    return submitted(request, reply, () => ({ request: TransactionRequest.fromJson(request.body) }));
  });
  app.post<{ Params: { ledger: string } }>('/ledgers/:ledger/txs/binary', { schema: SUBMIT_BINARY_SCHEMA }, async (request, reply) => {
    if (!(request.body instanceof Uint8Array)) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'send the canonical bytes as application/octet-stream');
    const bytes = request.body;
    return submitted(request, reply, () => decodeTransactionRequest(bytes));
  });

  const proxied = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const [path = '', query = ''] = request.url.split(/\?(.*)/s, 2);
    const body = request.method === 'POST' && request.body !== undefined ? JSON.stringify(request.body) : undefined;
    const response = await submitter.query(request.method === 'POST' ? 'POST' : 'GET', path, query, body);
    metrics.queries += 1;
    return reply.code(response.status).type('application/json; charset=utf-8').send(response.body);
  };
  registerQueryPaths(app, proxied);
  // Anything else below /ledgers still goes to the peer, which answers NO_SUCH_PATH or METHOD_NOT_ALLOWED itself.
  app.route({ method: 'POST', url: '/ledgers', schema: { hide: true }, handler: proxied });
  app.route({ method: ['GET', 'POST'], url: '/ledgers/*', schema: { hide: true }, handler: proxied });
  app.get('/health', { schema: OPERATION_SCHEMAS.health }, async () => health());
  app.get('/ready', { schema: OPERATION_SCHEMAS.ready }, async (_request, reply) => {
    const ready = (await extras.ready?.()) ?? true;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'no-quorum' });
  });
  const network = extras.network;
  if (network !== undefined) app.get('/network/peers', { schema: OPERATION_SCHEMAS.networkPeers }, async () => ({ success: true, data: await network() }));
  app.get('/metrics', { schema: OPERATION_SCHEMAS.metrics }, async (_request, reply) => reply.type('text/plain; version=0.0.4').send(metrics.render()));
  return app;
}
