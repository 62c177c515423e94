import { CodecError } from './errors.js';

/** Short description of a JSON value's type for error messages. */
export function jsonTypeOf(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  return typeof json === 'object' ? 'an object' : `a ${typeof json}`;
}

export function expectString(json: unknown, what: string): string {
  if (typeof json !== 'string') throw new CodecError('INVALID_JSON', `expected ${what} as a string, got ${jsonTypeOf(json)}`);
  return json;
}

export function expectArray(json: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(json)) throw new CodecError('INVALID_JSON', `expected ${what} as an array, got ${jsonTypeOf(json)}`);
  return json;
}

/** A plain JSON object (not an array, not null, not a class instance). */
export function expectObject(json: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CodecError('INVALID_JSON', `expected ${what} as an object, got ${jsonTypeOf(json)}`);
  }
  const prototype: unknown = Object.getPrototypeOf(json);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new CodecError('INVALID_JSON', `expected ${what} as a plain object`);
  }
  return json as Readonly<Record<string, unknown>>;
}

/** Own member of a JSON object, ignoring anything inherited. */
export function ownMember(object: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, name) ? object[name] : undefined;
}
