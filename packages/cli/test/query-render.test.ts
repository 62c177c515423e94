import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHuman } from '../src/net/render.js';

test('query answers render as aligned lines, JD Chain addresses as their value, lists numbered', () => {
  const text = renderHuman({ address: { value: 'LdeN' }, roles: ['ADMIN', 'GATEWAY'], state: 'NORMAL', entries: [], nested: { a: 1, bc: null } });
  assert.equal(text, ['address  LdeN', 'roles', '  0  ADMIN', '  1  GATEWAY', 'state    NORMAL', 'entries', '  (none)', 'nested', '  a   1', '  bc  null', ''].join('\n'));
  assert.equal(renderHuman([{ key: 'k', version: 0 }]), '[0]\n  key      k\n  version  0\n');
  assert.equal(renderHuman(7), '7\n');
});

test('text of several lines renders under its name, each line indented', () => {
  assert.equal(renderHuman({ lang: 'JAVASCRIPT', chainCode: 'f() {\n  1;\n}\n' }), 'lang       JAVASCRIPT\nchainCode\n  f() {\n    1;\n  }\n');
});
