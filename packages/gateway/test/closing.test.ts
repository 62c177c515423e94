import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { TransportMetrics } from '@jadechain/p2p';
import { jsonLogger } from '@jadechain/service';
import { GATEWAY_ERRORS } from '../src/errors.js';
import { buildHttp } from '../src/http.js';
import { GatewayMetrics } from '../src/metrics.js';
import type { Submitter } from '../src/submitter.js';

describe('the gateway refuses in its envelope, also while it closes', () => {
  test('every error code is in docs/operations.md with its number and HTTP status', () => {
    const doc = readFileSync(new URL('../../../../docs/operations.md', import.meta.url), 'utf8');
    const rows = new Set([...doc.matchAll(/^\| (\d{3}) \| (\d{4}) \| ([A-Z0-9_]+) \|/gm)].map(([, status, code, name]) => `${name} ${code} ${status}`));
    for (const [name, { errorCode, status }] of Object.entries(GATEWAY_ERRORS)) assert.ok(rows.has(`${name} ${errorCode} ${status}`), `${name} (${errorCode}, HTTP ${status}) is not in docs/operations.md`);
  });

  test('a request on a kept-alive connection after closing began is answered 503 CLOSING in the envelope, and the connection closed', async () => {
    const app = buildHttp({} as unknown as Submitter, new GatewayMetrics(new TransportMetrics(), () => 0, () => 0), jsonLogger('gateway', () => undefined), 4096, () => ({ status: 'ok' }));
    // Holds the close between the gateway's own preClose hook and the server's close, where a
    // busy gateway's clients land by chance: a connection that has just been answered sends its next request.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let closingBegan: () => void = () => undefined;
    const began = new Promise<void>((resolve) => (closingBegan = resolve));
    app.addHook('preClose', async () => {
      closingBegan();
      await held;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };

    const socket = connect(port, '127.0.0.1');
    let received = '';
    let arrived: () => void = () => undefined;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      arrived();
    });
    const ended = new Promise((resolve) => socket.once('close', resolve));
    const answerTo = async (request: string): Promise<string> => {
      const before = received.length;
      const complete = new Promise<void>((resolve) => (arrived = () => /\r\n\r\n\{.*\}$/s.test(received.slice(before)) && resolve()));
      socket.write(request);
      await complete;
      return received.slice(before);
    };
    const request = 'GET /health HTTP/1.1\r\nHost: gateway\r\n\r\n';
    assert.match(await answerTo(request), /^HTTP\/1\.1 200 [\s\S]*keep-alive/i);
    const closed = app.close();
    await began;
    const refused = await answerTo(request);
    release();
    await closed;
    await ended;

    assert.match(refused, /^HTTP\/1\.1 503 /);
    assert.match(refused, /\r\nconnection: close\r\n/i);
    const body = JSON.parse(refused.split('\r\n\r\n')[1] ?? '') as { success: boolean; error: { errorCode: number; errorMessage: string } };
    assert.equal(body.success, false);
    assert.equal(body.error.errorCode, 5033);
    assert.match(body.error.errorMessage, /^CLOSING: the gateway is shutting down/);
  });
});
