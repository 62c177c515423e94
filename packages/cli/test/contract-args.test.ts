import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../src/commands/contract.js';
import { CliError } from '../src/errors.js';
import { run } from './helpers.js';

describe('contract invoke --args', () => {
  test('JSON items become typed values', () => {
    assert.deepEqual(parseArgs('[1, "a", true, null, {"k": [1]}, [2], {"type": "INT64", "value": "123456789012345678"}]'), [
      { type: 'INT64', value: 1n },
      { type: 'TEXT', value: 'a' },
      { type: 'BOOLEAN', value: true },
      { type: 'NIL' },
      { type: 'JSON', value: '{"k":[1]}' },
      { type: 'JSON', value: '[2]' },
      { type: 'INT64', value: 123456789012345678n },
    ]);
  });

  test('refuses what has no exact typed form', () => {
    for (const text of ['{', '{"a": 1}', '[1.5]', '[9007199254740993]', '[{"type": "INT64", "value": "x"}]']) {
      assert.throws(() => parseArgs(text), CliError, text);
    }
  });
});

describe('contract build', () => {
  test('bundles the entry and its relative imports; --out writes the module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jadechain-build-'));
    try {
      writeFileSync(join(dir, 'helper.ts'), 'export function twice(n: bigint): bigint { return 2n * n; }\n');
      writeFileSync(join(dir, 'main.ts'), "import { twice } from './helper.js';\nexport function run(_ctx: unknown, n: bigint): bigint { return twice(n); }\n");
      const printed = await run(['contract', 'build', '--code', join(dir, 'main.ts')]);
      assert.equal(printed.code, 0, printed.stderr);
      assert.match(printed.stdout, /"helper\.ts"/);
      const written = await run(['contract', 'build', '--code', join(dir, 'main.ts'), '--out', join(dir, 'main.js')]);
      assert.equal(written.code, 0);
      assert.equal(`${readFileSync(join(dir, 'main.js'), 'utf8')}\n`, printed.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a package import is bad input (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jadechain-build-'));
    try {
      writeFileSync(join(dir, 'main.ts'), "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
      const result = await run(['contract', 'build', '--code', join(dir, 'main.ts')]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--code/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
