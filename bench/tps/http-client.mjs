// A keep-alive HTTP/1.1 client for the gateway over plain TCP sockets: many requests in flight,
// one per connection at a time (as a browser or node:http's Agent would), connections reused
// last-in first-out. It shares the two cores with the network it measures, so it does no more than
// the bench needs: node:http's client cost ≈140 µs of CPU per held submission here, nearly half
// of what a peer spends on the transaction (docs/benchmarks.md, session 8).
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const CRLF_CRLF = Buffer.from('\r\n\r\n');
/** Idle connections older than this are closed, not reused: well inside the gateway's keep-alive timeout (Fastify's 72 s), so a request never races the server closing its connection. */
const MAX_IDLE_MS = 30_000;

export class HttpError extends Error {
  constructor(message) {
    super(message);
    this.name = 'HttpError';
  }
}

export class HttpClient {
  /** `maxSockets` bounds the connections (each in-flight submission holds one until its commit). */
  constructor(baseUrl, { maxSockets = 4096 } = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:') throw new HttpError(`the bench client speaks plain HTTP, not ${url.protocol}`);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.maxSockets = maxSockets;
    this.idle = [];
    this.open = new Set();
    /** Requests waiting for a connection while `maxSockets` are busy. */
    this.queued = [];
  }

  /** Resolves with { status, body (parsed JSON) }; rejects on a network error or a malformed answer. */
  send(method, path, body, contentType) {
    const head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n${body === undefined ? '' : `content-type: ${contentType}\r\ncontent-length: ${body.length}\r\n`}\r\n`;
    const request = body === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body]);
    return new Promise((resolve, reject) => {
      const job = { request, resolve, reject };
      const link = this.#takeIdle() ?? (this.open.size < this.maxSockets ? this.#connect() : undefined);
      if (link === undefined) this.queued.push(job);
      else this.#start(link, job);
    });
  }

  get(path) {
    return this.send('GET', path);
  }

  /** GET, answering the envelope's data, or throwing with the gateway's error. */
  async data(path) {
    const { status, body } = await this.get(path);
    if (status !== 200 || body.success !== true) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    return body.data;
  }

  close() {
    const closed = new HttpError('the client closed');
    for (const link of this.open) {
      link.socket.destroy();
      link.job?.reject(closed);
    }
    this.open.clear();
    this.idle = [];
    for (const job of this.queued.splice(0)) job.reject(closed);
  }

  #takeIdle() {
    const now = performance.now();
    for (let link = this.idle.pop(); link !== undefined; link = this.idle.pop()) {
      if (now - link.idleSince < MAX_IDLE_MS) return link;
      this.open.delete(link);
      link.socket.destroy();
    }
    return undefined;
  }

  /** A new connection, as a link: its socket, the request it carries, the answer's bytes so far. */
  #connect() {
    const link = { socket: connect({ host: this.host, port: this.port, noDelay: true }), job: undefined, buffered: undefined, idleSince: 0 };
    this.open.add(link);
    link.socket.on('data', (chunk) => this.#received(link, chunk));
    link.socket.on('error', (error) => this.#failed(link, error));
    link.socket.on('close', () => this.#failed(link, new HttpError('the gateway closed the connection')));
    return link;
  }

  #start(link, job) {
    link.job = job;
    link.buffered = undefined;
    link.socket.write(job.request);
  }

  #received(link, chunk) {
    const { job } = link;
    if (job === undefined) {
      this.#failed(link, new HttpError('the gateway sent bytes nobody asked for'));
      return;
    }
    link.buffered = link.buffered === undefined ? chunk : Buffer.concat([link.buffered, chunk]);
    let answer;
    try {
      answer = parseResponse(link.buffered);
    } catch (error) {
      this.#failed(link, error);
      return;
    }
    if (answer === undefined) return;
    link.job = undefined;
    link.buffered = undefined;
    if (answer.close) {
      this.open.delete(link);
      link.socket.destroy();
      this.#startQueued();
    } else {
      const next = this.queued.shift();
      if (next !== undefined) this.#start(link, next);
      else {
        link.idleSince = performance.now();
        this.idle.push(link);
      }
    }
    let parsed;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      parsed = { success: false, error: { errorMessage: answer.text.slice(0, 300) } };
    }
    job.resolve({ status: answer.status, body: parsed });
  }

  #failed(link, error) {
    if (!this.open.delete(link)) return;
    const index = this.idle.indexOf(link);
    if (index >= 0) this.idle.splice(index, 1);
    link.socket.destroy();
    link.job?.reject(error);
    link.job = undefined;
    this.#startQueued();
  }

  /** A connection's place was freed: a waiting request takes it, on a new connection. */
  #startQueued() {
    const next = this.queued.shift();
    if (next !== undefined) this.#start(this.#connect(), next);
  }
}

/**
 * One complete HTTP/1.1 response at the start of `bytes`, or undefined while more must arrive:
 * { status, text, close }. Bodies come with content-length or chunked; anything else is an error.
 */
export function parseResponse(bytes) {
  const headEnd = bytes.indexOf(CRLF_CRLF);
  if (headEnd < 0) return undefined;
  const lines = bytes.toString('latin1', 0, headEnd).split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (statusLine === null) throw new HttpError(`not an HTTP/1.1 status line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers = new Map();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const status = Number(statusLine[1]);
  const close = headers.get('connection')?.toLowerCase() === 'close';
  const bodyStart = headEnd + CRLF_CRLF.length;
  const length = headers.get('content-length');
  if (length !== undefined) {
    if (!/^\d+$/.test(length)) throw new HttpError(`content-length ${JSON.stringify(length)} is not a length`);
    const end = bodyStart + Number(length);
    if (bytes.length < end) return undefined;
    if (bytes.length > end) throw new HttpError('the gateway sent more than the answer it was asked for');
    return { status, text: bytes.toString('utf8', bodyStart, end), close };
  }
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') return parseChunked(bytes, bodyStart, status, close);
  throw new HttpError('an answer without content-length or chunked encoding');
}

function parseChunked(bytes, from, status, close) {
  const parts = [];
  for (let at = from; ; ) {
    const lineEnd = bytes.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(bytes.toString('latin1', at, lineEnd), 16);
    if (!Number.isSafeInteger(size) || size < 0) throw new HttpError('a malformed chunk size');
    const dataStart = lineEnd + 2;
    if (bytes.length < dataStart + size + 2) return undefined;
    if (size === 0) {
      // No trailers are expected: the last chunk ends with an empty line.
      if (bytes.length > dataStart + 2) throw new HttpError('the gateway sent more than the answer it was asked for');
      return { status, text: Buffer.concat(parts).toString('utf8'), close };
    }
    parts.push(bytes.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}

/** The content type of each submission path of the gateway. */
export const SUBMIT_PATHS = {
  binary: { suffix: '/txs/binary', contentType: 'application/octet-stream' },
  json: { suffix: '/txs', contentType: 'application/json' },
};

/**
 * What a submission came to: `committed` (recorded with SUCCESS), `failed` (recorded with another
 * state: acknowledged, but no throughput), `timeout` (the gateway stopped waiting: 202),
 * `refused` (an error envelope, e.g. MEMPOOL_FULL) or `error` (no answer).
 */
export async function submitOnce(client, ledger, format, body) {
  const { suffix, contentType } = SUBMIT_PATHS[format];
  try {
    const { status, body: envelope } = await client.send('POST', `/ledgers/${ledger}${suffix}`, body, contentType);
    if (status === 200 && envelope.success === true) {
      const { transactionHash, blockHeight, executionState, blockHash } = envelope.data;
      return { outcome: executionState === 'SUCCESS' ? 'committed' : 'failed', transactionHash, blockHeight, state: executionState, blockHash };
    }
    if (status === 202) return { outcome: 'timeout', transactionHash: envelope.data?.transactionHash };
    return { outcome: 'refused', code: envelope.error?.errorCode, message: String(envelope.error?.errorMessage ?? status) };
  } catch (error) {
    return { outcome: 'error', message: error.message };
  }
}
