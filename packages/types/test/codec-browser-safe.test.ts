import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

// The codec and the model run in browsers (SDK, console): their compiled modules may import only
// each other and @jadechain/crypto (whose browser entry is pure JavaScript), and may use no
// Node-only global.
const ALLOWED = /^(\.{1,2}\/[\w/-]+\.js|@jadechain\/crypto)$/;

for (const folder of ['codec', 'model']) {
  test(`src/${folder} is browser-safe`, () => {
    const directory = new URL(`../src/${folder}/`, import.meta.url);
    const modules = readdirSync(directory).filter((name) => name.endsWith('.js'));
    assert.ok(modules.length >= 5, `found ${modules.join(', ')}`);
    for (const name of modules) {
      const source = readFileSync(new URL(name, directory), 'utf8');
      for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
        assert.match(match[1] ?? '', ALLOWED, `${folder}/${name} imports ${match[1]}`);
      }
      assert.doesNotMatch(source, /\b(Buffer|process|require|__dirname|global)\b/, `${folder}/${name} uses a Node global`);
    }
  });
}
