import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto';
import { ConfigError } from '@jadechain/service';
import { DEFAULT_RATE_LIMIT, RATE_LIMITED } from '../src/limits.js';
import { parseGatewayConfig } from '../src/index.js';
import { startLonelyGateway, type LonelyGateway } from './limits-gateway.js';

const minimal = {
  identity: { keyFile: 'gw.json', password: { file: 'password.txt' } },
  peers: [{ port: 7000, publicKey: cryptoSuite.generateKeyPair('ED25519').publicKey.toBase58() }],
};

function refusedField(extra: Record<string, unknown>): string {
  try {
    parseGatewayConfig({ ...minimal, ...extra }, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.field;
    throw error;
  }
  return 'ACCEPTED';
}

describe('CORS and rate-limit configuration', () => {
  test('defaults: no CORS, the generous rate limit', () => {
    const config = parseGatewayConfig(minimal, '/srv');
    assert.equal(config.cors, undefined);
    assert.deepEqual(config.rateLimit, DEFAULT_RATE_LIMIT);
  });

  test('origins and limits are read, and bad values name their field', () => {
    const config = parseGatewayConfig({ ...minimal, cors: { origins: ['http://app.test'] }, rateLimit: { max: 5, windowMs: 1000 } }, '/srv');
    assert.deepEqual(config.cors, { origins: ['http://app.test'] });
    assert.deepEqual(config.rateLimit, { max: 5, windowMs: 1000 });
    assert.equal(refusedField({ cors: { origins: [] } }), 'cors.origins');
    assert.equal(refusedField({ cors: { origins: [''] } }), 'cors.origins');
    assert.equal(refusedField({ cors: { origin: '*' } }), 'cors.origin');
    assert.equal(refusedField({ rateLimit: { max: 0 } }), 'rateLimit.max');
    assert.equal(refusedField({ rateLimit: { windowMs: 10 } }), 'rateLimit.windowMs');
  });
});

describe('a gateway without CORS and without a peer', () => {
  let gateway: LonelyGateway;
  before(async () => {
    gateway = await startLonelyGateway();
  });
  after(async () => gateway.close());

  test('/health answers, /ready answers 503 until a quorum of peers is connected', async () => {
    assert.equal((await fetch(`${gateway.base}/health`)).status, 200);
    const ready = await fetch(`${gateway.base}/ready`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), { status: 'no-quorum' });
  });

  test('no CORS headers by default', async () => {
    const response = await fetch(`${gateway.base}/health`, { headers: { origin: 'http://elsewhere.test' } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  test('a body over the limit is refused with 413 BODY_TOO_LARGE before anything else', async () => {
    const response = await fetch(`${gateway.base}/ledgers/x/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(5000) }) });
    assert.equal(response.status, 413);
    const body = (await response.json()) as { error: { errorCode: number; errorMessage: string } };
    assert.equal(body.error.errorCode, 4102);
    assert.match(body.error.errorMessage, /^BODY_TOO_LARGE:/);
  });
});

describe('a gateway with CORS and a tight rate limit', () => {
  let gateway: LonelyGateway;
  before(async () => {
    gateway = await startLonelyGateway({ cors: { origins: ['http://app.test'] }, rateLimit: { max: 3, windowMs: 60_000 } });
  });
  after(async () => gateway.close());

  test('a configured origin is allowed, preflight included; another origin is not', async () => {
    const preflight = await fetch(`${gateway.base}/ledgers/x/txs`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.test');
    const other = await fetch(`${gateway.base}/health`, { headers: { origin: 'http://evil.test' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('past the limit a client gets 429 RATE_LIMITED in the envelope, on every path', async () => {
    // The preflight above used one of the three requests of the window.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${gateway.base}/nowhere`)).status);
    assert.deepEqual(statuses, [404, 404, 429]);
    const limited = await fetch(`${gateway.base}/health`);
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after') !== null);
    const body = (await limited.json()) as { success: boolean; error: { errorCode: number; errorMessage: string } };
    assert.equal(body.success, false);
    assert.equal(body.error.errorCode, RATE_LIMITED.errorCode);
    assert.match(body.error.errorMessage, /^RATE_LIMITED:/);
  });
});
