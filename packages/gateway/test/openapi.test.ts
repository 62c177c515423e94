import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { queryRoutePatterns } from '../src/openapi-paths.js';
import { SUBMIT_JSON_SCHEMA } from '../src/openapi.js';
import { startLonelyGateway, type LonelyGateway } from './limits-gateway.js';

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean }>; requestBody?: { content: Record<string, { schema: unknown }> } }>>;
}

/** Fastify's `:name` pattern in OpenAPI's `{name}` form. */
function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

describe('GET /openapi.json', () => {
  let gateway: LonelyGateway;
  let document: OpenApiDocument;
  before(async () => {
    gateway = await startLonelyGateway();
    const response = await fetch(`${gateway.base}/openapi.json`);
    assert.equal(response.status, 200);
    document = (await response.json()) as OpenApiDocument;
  });
  after(async () => gateway.close());

  test('is an OpenAPI 3 document with every query path of docs/api.md, its path and query parameters', () => {
    assert.match(document.openapi, /^3\./);
    const patterns = queryRoutePatterns();
    assert.ok(patterns.length >= 70, `${patterns.length} query paths`);
    for (const pattern of patterns) {
      const operations = document.paths[openApiPath(pattern.url)];
      assert.ok(operations?.['get'] !== undefined, `GET ${pattern.url} is documented`);
      if (pattern.post === true) assert.ok(operations['post'] !== undefined, `POST ${pattern.url} is documented`);
    }
    const proof = document.paths['/ledgers/{ledger}/proofs/kv']?.['get']?.parameters ?? [];
    assert.deepEqual(proof.map(({ name, in: where, required }) => `${where}:${name}:${required === true}`).sort(), ['path:ledger:true', 'query:account:true', 'query:height:false', 'query:key:true']);
    const byHeight = document.paths['/ledgers/{ledger}/blocks/height/{height}/txs']?.['get']?.parameters ?? [];
    assert.deepEqual(byHeight.map(({ name }) => name).sort(), ['count', 'fromIndex', 'height', 'ledger']);
  });

  test('documents submission with the very schema that validates its body, and the operational endpoints', () => {
    const submit = document.paths['/ledgers/{ledger}/txs']?.['post'];
    assert.deepEqual(submit?.requestBody?.content['application/json']?.schema, SUBMIT_JSON_SCHEMA.body);
    assert.ok(document.paths['/ledgers/{ledger}/txs/binary']?.['post'] !== undefined);
    for (const path of ['/health', '/ready', '/metrics', '/openapi.json']) assert.ok(document.paths[path]?.['get'] !== undefined, path);
    assert.equal(document.paths['/ledgers/*'], undefined, 'the catch-all is not documented');
  });

  test('a submission that breaks the documented body schema is refused as MALFORMED_TRANSACTION', async () => {
    const response = await fetch(`${gateway.base}/ledgers/x/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: { operations: [] } }) });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { errorCode: number; errorMessage: string } };
    assert.equal(body.error.errorCode, 4105);
    assert.match(body.error.errorMessage, /^MALFORMED_TRANSACTION:/);
  });
});
