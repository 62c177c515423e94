// A keep-alive HTTP/1.1 client for the gateway on node:http: many requests in flight over a pool
// of reused connections, with the bodies sent as they are (pre-encoded bytes, no re-serialising).
import { Agent, request as httpRequest } from 'node:http';

export class HttpClient {
  /** `maxSockets` bounds the connections (each in-flight submission holds one until its commit). */
  constructor(baseUrl, { maxSockets = 4096 } = {}) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
  }

  /** Resolves with { status, body (parsed JSON) }; rejects on a network error. */
  send(method, path, body, contentType) {
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? {} : { 'content-type': contentType, 'content-length': body.length };
      const req = httpRequest({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode, body: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode, body: { success: false, error: { errorMessage: text.slice(0, 300) } } });
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
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
    this.agent.destroy();
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
