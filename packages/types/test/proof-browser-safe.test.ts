import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

// The verifier is what light clients and the SDK trust in a browser: it may import only its own
// modules, and may use no Node-only global.
const proofDir = new URL('../src/proof/', import.meta.url);
const modules = readdirSync(proofDir).filter((name) => name.endsWith('.js'));

test('the proof module is browser-safe: relative imports only, no Node globals', () => {
  assert.ok(modules.includes('proof.js') && modules.length >= 5, `found ${modules.join(', ')}`);
  for (const name of modules) {
    const source = readFileSync(new URL(name, proofDir), 'utf8');
    const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]);
    for (const specifier of specifiers) assert.match(specifier ?? '', /^\.\/[\w-]+\.js$/, `${name} imports ${specifier}`);
    assert.doesNotMatch(source, /\b(Buffer|process|require|__dirname|global)\b/, `${name} uses a Node global`);
  }
});
