import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as types from '../src/index.js';
import { Codec } from '../src/index.js';
import type { FieldDescriptor } from '../src/index.js';

/**
 * spec/encoding.md is normative: its field tables must match the schemas the code encodes with.
 * This test reads each table (heading "#### Name (record 0x….)" or "##### Operation.Name (0x….)")
 * and compares type codes and field order with the codecs.
 */

const spec = readFileSync(new URL('../../../../spec/encoding.md', import.meta.url), 'utf8');

interface SpecTable {
  readonly code: number | undefined;
  readonly fields: readonly string[];
}

function tables(): Map<string, SpecTable> {
  const found = new Map<string, SpecTable>();
  const heading = /^#{4,5} ([\w.]+) \((?:record |structure|union[^)]*)?(0x[0-9a-f]+)?\)$/;
  const lines = spec.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = heading.exec(lines[i] as string);
    if (match === null) continue;
    const fields: string[] = [];
    for (let j = i + 1; j < lines.length && !(lines[j] as string).startsWith('#'); j++) {
      const row = /^\| \d+ \| `(\w+)` \|/.exec(lines[j] as string);
      if (row !== null) fields.push(row[1] as string);
    }
    found.set(match[1] as string, { code: match[2] === undefined ? undefined : Number.parseInt(match[2], 16), fields });
  }
  return found;
}

test('spec/encoding.md documents every record, structure and operation exactly as encoded', () => {
  const documented = tables();
  const check = (name: string, code: number | undefined, fields: readonly FieldDescriptor[]): void => {
    const table = documented.get(name);
    assert.ok(table !== undefined, `${name} has no table in spec/encoding.md`);
    assert.equal(table.code, code, `${name}: type code`);
    assert.deepEqual(table.fields, fields.map((field) => field.name), `${name}: fields`);
  };
  let checked = 0;
  for (const [name, value] of Object.entries(types) as [string, unknown][]) {
    if (!(value instanceof Codec)) continue;
    const descriptor = value.descriptor;
    if (descriptor.kind === 'record') check(name, descriptor.typeCode, descriptor.fields);
    else if (descriptor.kind === 'struct') check(name, undefined, descriptor.fields);
    else if (descriptor.kind === 'union' && descriptor.versioned) {
      for (const variant of descriptor.variants) check(`${name}.${variant.name}`, variant.code, variant.fields);
    } else continue;
    checked++;
  }
  assert.ok(checked >= 30, `only ${checked} structures checked`);
});
