import { Codec } from './codec.js';
import type { Descriptor, FieldDescriptor, Infer, JsonValue, VariantDescriptor } from './codec.js';
import { OptionalCodec } from './collections.js';
import { CodecError, rethrowWithin } from './errors.js';
import { expectObject, expectString, ownMember } from './json.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** Field codecs of a structure, in encoding order (the order of the object literal). */
export type Fields = { readonly [name: string]: Codec<unknown> };

type OptionalFieldNames<F extends Fields> = {
  [K in keyof F]: F[K] extends OptionalCodec<unknown> ? K : never;
}[keyof F];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type of a structure: optional fields become optional properties. */
export type StructValue<F extends Fields> = Simplify<
  { readonly [K in Exclude<keyof F, OptionalFieldNames<F>>]: Infer<F[K]> } & {
    readonly [K in OptionalFieldNames<F>]?: Exclude<Infer<F[K]>, undefined>;
  }
>;

type AnyRecord = Record<string, unknown>;

/**
 * The field list of a structure, shared by plain structures, records and union variants. Field
 * order is the order of the object literal it was built from (string keys keep insertion order).
 */
class FieldList {
  readonly names: readonly string[];
  private readonly nameSet: ReadonlySet<string>;
  readonly codecs: readonly Codec<unknown>[];
  private readonly optional: readonly boolean[];
  readonly descriptors: readonly FieldDescriptor[];
  /** A JSON member name that belongs to the container (the union tag), not to a field. */
  private readonly reservedName: string | undefined;

  constructor(fields: Fields, reservedName?: string) {
    this.names = Object.keys(fields);
    this.nameSet = new Set(this.names);
    this.codecs = this.names.map((name) => fields[name] as Codec<unknown>);
    this.optional = this.codecs.map((codec) => codec instanceof OptionalCodec);
    this.descriptors = this.names.map((name, i) => ({ name, codec: this.codecs[i] as Codec<unknown> }));
    this.reservedName = reservedName;
    if (reservedName !== undefined && this.names.includes(reservedName)) {
      throw new Error(`field name "${reservedName}" is reserved for the union tag`);
    }
  }

  write(writer: Writer, value: AnyRecord): void {
    if (typeof value !== 'object' || value === null) throw new CodecError('INVALID_VALUE', 'expected an object');
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i] as string;
      const field = value[name];
      try {
        if (field === undefined && !this.optional[i]) throw new CodecError('MISSING_FIELD', 'required field is missing');
        (this.codecs[i] as Codec<unknown>).write(writer, field);
      } catch (error) {
        rethrowWithin(error, name);
      }
    }
  }

  readInto(reader: Reader, target: AnyRecord): void {
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i] as string;
      let field: unknown;
      try {
        field = (this.codecs[i] as Codec<unknown>).read(reader);
      } catch (error) {
        rethrowWithin(error, name);
      }
      if (field !== undefined) target[name] = field;
    }
  }

  toJsonInto(value: AnyRecord, target: Record<string, JsonValue>): void {
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i] as string;
      const field = value[name];
      if (field !== undefined) target[name] = (this.codecs[i] as Codec<unknown>).toJson(field);
    }
  }

  fromJsonInto(json: unknown, target: AnyRecord): void {
    const object = expectObject(json, 'a structure');
    for (const member of Object.keys(object)) {
      if (member !== this.reservedName && !this.nameSet.has(member)) {
        throw new CodecError('UNKNOWN_FIELD', `member "${member.slice(0, 40)}" is not a field of this structure`);
      }
    }
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i] as string;
      const member = ownMember(object, name);
      if (member === undefined) {
        if (!this.optional[i]) throw new CodecError('MISSING_FIELD', 'required member is missing').within(name);
        continue;
      }
      if (member === null && this.optional[i]) {
        throw new CodecError('INVALID_JSON', 'an absent field is omitted, not null').within(name);
      }
      try {
        target[name] = (this.codecs[i] as Codec<unknown>).fromJson(member);
      } catch (error) {
        rethrowWithin(error, name);
      }
    }
  }
}

/** Fields one after another, with no header. JSON: an object with one member per present field. */
class StructCodec<F extends Fields> extends Codec<StructValue<F>> {
  readonly descriptor: Descriptor;
  protected readonly fields: FieldList;

  constructor(fields: F) {
    super();
    this.fields = new FieldList(fields);
    this.descriptor = { kind: 'struct', fields: this.fields.descriptors };
  }

  write(writer: Writer, value: StructValue<F>): void {
    this.fields.write(writer, value as AnyRecord);
  }

  read(reader: Reader): StructValue<F> {
    const out: AnyRecord = {};
    this.fields.readInto(reader, out);
    return out as StructValue<F>;
  }

  toJson(value: StructValue<F>): JsonValue {
    const out: Record<string, JsonValue> = {};
    this.fields.toJsonInto(value as AnyRecord, out);
    return out;
  }

  fromJson(json: unknown): StructValue<F> {
    const out: AnyRecord = {};
    this.fields.fromJsonInto(json, out);
    return out as StructValue<F>;
  }
}

/** Layout version written by this implementation for every record and operation. */
export const LAYOUT_VERSION = 1;

const typeCodeOwners = new Map<number, string>();

/** Type codes share one 16-bit space; a second use of a code is a programming error. */
function registerTypeCode(code: number, name: string): void {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff) throw new Error(`type code ${code} of ${name} is not 16-bit`);
  const owner = typeCodeOwners.get(code);
  if (owner !== undefined) throw new Error(`type code 0x${code.toString(16)} of ${name} is already used by ${owner}`);
  typeCodeOwners.set(code, name);
}

/** Every registered type code with its structure's name, ascending. */
export function registeredTypeCodes(): ReadonlyArray<readonly [number, string]> {
  return [...typeCodeOwners.entries()].sort((a, b) => a[0] - b[0]);
}

function readLayoutVersion(reader: Reader): void {
  const version = reader.u8();
  if (version !== LAYOUT_VERSION) {
    throw new CodecError('UNSUPPORTED_VERSION', `layout version ${version} is not supported (expected ${LAYOUT_VERSION})`);
  }
}

/**
 * A top-level structure: 2-byte type code and 1-byte layout version, then its fields, so that
 * stored bytes say what they are and layouts can evolve. A record keeps its header wherever it
 * appears, also nested inside another structure. JSON: the same object as a structure.
 */
export class RecordCodec<F extends Fields> extends StructCodec<F> {
  override readonly descriptor: Descriptor;
  readonly typeCode: number;
  readonly name: string;

  constructor(name: string, typeCode: number, fields: F) {
    super(fields);
    registerTypeCode(typeCode, name);
    this.name = name;
    this.typeCode = typeCode;
    this.descriptor = { kind: 'record', name, typeCode, version: LAYOUT_VERSION, fields: this.fields.descriptors };
  }

  override write(writer: Writer, value: StructValue<F>): void {
    writer.u16(this.typeCode);
    writer.u8(LAYOUT_VERSION);
    super.write(writer, value);
  }

  override read(reader: Reader): StructValue<F> {
    const code = reader.u16();
    if (code !== this.typeCode) {
      throw new CodecError(
        'UNKNOWN_TYPE_CODE',
        `type code 0x${code.toString(16).padStart(4, '0')} is not ${this.name} (0x${this.typeCode.toString(16).padStart(4, '0')})`,
      );
    }
    readLayoutVersion(reader);
    return super.read(reader);
  }
}

export interface Variant<F extends Fields> {
  readonly code: number;
  readonly fields: F;
}

export type Variants = { readonly [name: string]: Variant<Fields> };

/** The TypeScript type of a union: each variant's structure with a `type` member naming it. */
export type UnionValue<V extends Variants> = {
  [K in keyof V & string]: Simplify<{ readonly type: K } & StructValue<V[K]['fields']>>;
}[keyof V & string];

export interface UnionOptions {
  /** Width of the tag: 1 byte (value types) or 2 bytes (operations, sharing the type code space). */
  readonly tagBytes: 1 | 2;
  /** Whether a layout version byte follows the tag, as in a record. */
  readonly versioned: boolean;
}

interface CompiledVariant {
  readonly name: string;
  readonly code: number;
  readonly fields: FieldList;
}

/**
 * Tagged union: the variant's code (1 or 2 bytes), for versioned unions the layout version byte,
 * then the variant's fields. A versioned union's variant is thus encoded exactly like a record
 * with the variant's code as type code. JSON: `{"type": "<variant name>", ...fields}`.
 */
class UnionCodec<V extends Variants> extends Codec<UnionValue<V>> {
  readonly descriptor: Descriptor;
  private readonly name: string;
  private readonly options: UnionOptions;
  private readonly byName = new Map<string, CompiledVariant>();
  private readonly byCode = new Map<number, CompiledVariant>();

  constructor(name: string, options: UnionOptions, variants: V) {
    super();
    this.name = name;
    this.options = options;
    const descriptors: VariantDescriptor[] = [];
    for (const variantName of Object.keys(variants)) {
      const variant = variants[variantName] as Variant<Fields>;
      const compiled = { name: variantName, code: variant.code, fields: new FieldList(variant.fields, 'type') };
      if (this.byCode.has(variant.code)) throw new Error(`${name}: code ${variant.code} used twice`);
      if (options.versioned) registerTypeCode(variant.code, `${name}.${variantName}`);
      this.byName.set(variantName, compiled);
      this.byCode.set(variant.code, compiled);
      descriptors.push({ name: variantName, code: variant.code, fields: compiled.fields.descriptors });
    }
    this.descriptor = { kind: 'union', name, tagBytes: options.tagBytes, versioned: options.versioned, variants: descriptors };
  }

  private variantNamed(type: unknown): CompiledVariant {
    const variant = typeof type === 'string' ? this.byName.get(type) : undefined;
    if (variant === undefined) throw new CodecError('UNKNOWN_TYPE_CODE', `"${String(type)}" is not a kind of ${this.name}`);
    return variant;
  }

  write(writer: Writer, value: UnionValue<V>): void {
    if (typeof value !== 'object' || value === null) throw new CodecError('INVALID_VALUE', 'expected an object');
    const variant = this.variantNamed(value.type);
    if (this.options.tagBytes === 1) writer.u8(variant.code);
    else writer.u16(variant.code);
    if (this.options.versioned) writer.u8(LAYOUT_VERSION);
    variant.fields.write(writer, value as AnyRecord);
  }

  read(reader: Reader): UnionValue<V> {
    const code = this.options.tagBytes === 1 ? reader.u8() : reader.u16();
    const variant = this.byCode.get(code);
    if (variant === undefined) {
      throw new CodecError('UNKNOWN_TYPE_CODE', `code 0x${code.toString(16)} is not a kind of ${this.name}`);
    }
    if (this.options.versioned) readLayoutVersion(reader);
    const out: AnyRecord = { type: variant.name };
    variant.fields.readInto(reader, out);
    return out as UnionValue<V>;
  }

  toJson(value: UnionValue<V>): JsonValue {
    const variant = this.variantNamed(value.type);
    const out: Record<string, JsonValue> = { type: variant.name };
    variant.fields.toJsonInto(value as AnyRecord, out);
    return out;
  }

  fromJson(json: unknown): UnionValue<V> {
    const object = expectObject(json, this.name);
    const variant = this.variantNamed(expectString(ownMember(object, 'type'), `the kind of ${this.name}`));
    const out: AnyRecord = { type: variant.name };
    variant.fields.fromJsonInto(object, out);
    return out as UnionValue<V>;
  }
}

export function struct<F extends Fields>(fields: F): Codec<StructValue<F>> {
  return new StructCodec(fields);
}

export function record<F extends Fields>(name: string, typeCode: number, fields: F): RecordCodec<F> {
  return new RecordCodec(name, typeCode, fields);
}

export function union<V extends Variants>(name: string, options: UnionOptions, variants: V): Codec<UnionValue<V>> {
  return new UnionCodec(name, options, variants);
}
