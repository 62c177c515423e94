import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { PubKey } from '@jadechain/crypto';
import { ConfigError } from './errors.js';

/**
 * Reading one JSON configuration object field by field. Every accessor names the dotted path of
 * the field it reads, so a refusal says exactly which field is wrong; unknown fields are refused
 * too (a misspelt optional field would otherwise be silently ignored).
 */
export class ConfigObject {
  readonly #value: Readonly<Record<string, unknown>>;
  readonly #path: string;
  /** Directory relative paths are resolved against: the configuration file's own. */
  readonly baseDir: string;

  constructor(value: unknown, path: string, baseDir: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(path || '(root)', 'must be an object');
    this.#value = value as Record<string, unknown>;
    this.#path = path;
    this.baseDir = baseDir;
  }

  field(name: string): string {
    return this.#path === '' ? name : `${this.#path}.${name}`;
  }

  /** Refuses fields other than `known`. */
  only(known: readonly string[]): this {
    for (const name of Object.keys(this.#value)) {
      if (!known.includes(name)) throw new ConfigError(this.field(name), `unknown field (expected one of ${known.join(', ')})`);
    }
    return this;
  }

  has(name: string): boolean {
    return this.#value[name] !== undefined;
  }

  raw(name: string): unknown {
    return this.#value[name];
  }

  object(name: string): ConfigObject {
    return new ConfigObject(this.#value[name], this.field(name), this.baseDir);
  }

  optionalObject(name: string): ConfigObject | undefined {
    return this.has(name) ? this.object(name) : undefined;
  }

  string(name: string, fallback?: string): string {
    const value = this.#value[name] ?? fallback;
    if (typeof value !== 'string' || value.length === 0) throw new ConfigError(this.field(name), 'must be a non-empty string');
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.#value[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigError(this.field(name), `must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 0, 65535);
  }

  /** A path, resolved against the configuration file's directory. */
  path(name: string, fallback?: string): string {
    const value = this.string(name, fallback);
    return isAbsolute(value) ? value : resolve(this.baseDir, value);
  }

  publicKey(name: string): PubKey {
    const text = this.string(name);
    try {
      return PubKey.fromBase58(text);
    } catch (error) {
      throw new ConfigError(this.field(name), `is not a base58 public key (${(error as Error).message})`);
    }
  }

  array(name: string, min: number): ConfigObject[] {
    const value = this.#value[name];
    if (!Array.isArray(value) || value.length < min) throw new ConfigError(this.field(name), `must be an array of at least ${min} item(s)`);
    return value.map((item, index) => new ConfigObject(item, `${this.field(name)}[${index}]`, this.baseDir));
  }
}

/** Reads and parses a configuration file (CONFIG_INVALID when it cannot be read or parsed). */
export function readConfigFile(file: string): { readonly value: unknown; readonly baseDir: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('(file)', `cannot read ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('(file)', `${file} is not JSON: ${(error as Error).message}`);
  }
  return { value, baseDir: dirname(resolve(file)) };
}

/** A host name or address to listen on or dial. */
export function host(config: ConfigObject, name: string, fallback: string): string {
  const value = config.string(name, fallback);
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(value)) throw new ConfigError(config.field(name), 'is not a host name or address');
  return value;
}
