import { Codec } from './codec.js';
import type { Descriptor, JsonValue } from './codec.js';
import { CodecError } from './errors.js';
import { expectArray, expectString } from './json.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** A table of enumeration names and their stable numbers. */
export type EnumTable<N extends string> = { readonly [K in N]: number };

function nameTables<N extends string>(table: EnumTable<N>): { codes: Map<string, number>; names: Map<number, N> } {
  const codes = new Map<string, number>();
  const names = new Map<number, N>();
  for (const name of Object.keys(table) as N[]) {
    const code = table[name];
    if (names.has(code)) throw new Error(`enumeration code ${code} used twice`);
    codes.set(name, code);
    names.set(code, name);
  }
  return { codes, names };
}

/** One byte holding the member's number. JSON: the member's name. */
class EnumCodec<N extends string> extends Codec<N> {
  readonly descriptor: Descriptor;
  private readonly name: string;
  private readonly codes: Map<string, number>;
  private readonly names: Map<number, N>;

  constructor(name: string, table: EnumTable<N>) {
    super();
    this.name = name;
    ({ codes: this.codes, names: this.names } = nameTables(table));
    for (const code of this.names.keys()) {
      if (!Number.isInteger(code) || code < 0 || code > 0xff) throw new Error(`${name}: code ${code} does not fit a byte`);
    }
    this.descriptor = { kind: 'enum', name, codes: this.codes };
  }

  private codeOf(value: unknown): number {
    const code = typeof value === 'string' ? this.codes.get(value) : undefined;
    if (code === undefined) throw new CodecError('UNKNOWN_ENUM', `"${String(value)}" is not a ${this.name}`);
    return code;
  }

  write(writer: Writer, value: N): void {
    writer.u8(this.codeOf(value));
  }

  read(reader: Reader): N {
    const code = reader.u8();
    const name = this.names.get(code);
    if (name === undefined) throw new CodecError('UNKNOWN_ENUM', `0x${code.toString(16)} is not a ${this.name} code`);
    return name;
  }

  toJson(value: N): JsonValue {
    this.codeOf(value);
    return value;
  }

  fromJson(json: unknown): N {
    const name = expectString(json, `a ${this.name}`);
    this.codeOf(name);
    return name as N;
  }
}

/**
 * A set of enumeration members as a bitmask of 1, 2 or 4 bytes, big-endian, where member `m` is
 * bit 2^code(m). The TypeScript value is an array of names; decoding returns them in ascending
 * code order; encoding accepts any order but refuses repeats. JSON: an array of names.
 */
class BitsetCodec<N extends string> extends Codec<readonly N[]> {
  readonly descriptor: Descriptor;
  private readonly name: string;
  private readonly bytes: 1 | 2 | 4;
  private readonly codes: Map<string, number>;
  private readonly names: Map<number, N>;
  /** Member names by ascending code, to decode a mask in canonical order. */
  private readonly ordered: readonly (readonly [number, N])[];

  constructor(name: string, table: EnumTable<N>, bytes: 1 | 2 | 4) {
    super();
    this.name = name;
    this.bytes = bytes;
    ({ codes: this.codes, names: this.names } = nameTables(table));
    for (const code of this.names.keys()) {
      if (!Number.isInteger(code) || code < 0 || code >= bytes * 8) throw new Error(`${name}: code ${code} exceeds the mask`);
    }
    this.ordered = [...this.names.entries()].sort((a, b) => a[0] - b[0]);
    this.descriptor = { kind: 'bitset', name, bytes, codes: this.codes };
  }

  private maskOf(value: unknown): number {
    if (!Array.isArray(value)) throw new CodecError('INVALID_VALUE', `expected an array of ${this.name} names`);
    let mask = 0;
    for (const member of value) {
      const code = typeof member === 'string' ? this.codes.get(member) : undefined;
      if (code === undefined) throw new CodecError('UNKNOWN_ENUM', `"${String(member)}" is not a ${this.name}`);
      const bit = 2 ** code;
      if (Math.floor(mask / bit) % 2 === 1) throw new CodecError('NOT_CANONICAL', `${member} appears twice`);
      mask += bit;
    }
    return mask;
  }

  private membersOf(mask: number): readonly N[] {
    const members: N[] = [];
    let known = 0;
    for (const [code, name] of this.ordered) {
      const bit = 2 ** code;
      if (Math.floor(mask / bit) % 2 === 1) {
        members.push(name);
        known += bit;
      }
    }
    if (known !== mask) throw new CodecError('UNKNOWN_ENUM', `mask 0x${mask.toString(16)} sets bits that are not ${this.name}s`);
    return members;
  }

  write(writer: Writer, value: readonly N[]): void {
    const mask = this.maskOf(value);
    if (this.bytes === 1) writer.u8(mask);
    else if (this.bytes === 2) writer.u16(mask);
    else writer.u32(mask);
  }

  read(reader: Reader): readonly N[] {
    return this.membersOf(this.bytes === 1 ? reader.u8() : this.bytes === 2 ? reader.u16() : reader.u32());
  }

  toJson(value: readonly N[]): JsonValue {
    return this.membersOf(this.maskOf(value));
  }

  fromJson(json: unknown): readonly N[] {
    return this.membersOf(this.maskOf(expectArray(json, `a set of ${this.name}s`)));
  }
}

export function enumeration<N extends string>(name: string, table: EnumTable<N>): Codec<N> {
  return new EnumCodec(name, table);
}

export function bitset<N extends string>(name: string, table: EnumTable<N>, bytes: 1 | 2 | 4): Codec<readonly N[]> {
  return new BitsetCodec(name, table, bytes);
}
