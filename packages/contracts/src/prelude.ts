/**
 * JavaScript evaluated in every fresh sandbox before the contract. It takes the host function
 * off the global object, replaces every nondeterministic or code-generating facility by a trap
 * that reports FORBIDDEN_API to the host (a sticky fault: catching the exception does not help),
 * and returns the two entry points the runtime calls: `load(factory)` and `invoke(method, args,
 * info)`. Everything it needs is captured before contract code runs, so a contract that
 * rewrites its own builtins only breaks itself; the host re-checks every reply anyway.
 */
export const PRELUDE_SOURCE = String.raw`(function () {
  'use strict';
  const G = globalThis;
  const host = G.__jadechainHost;
  const work = G.__jadechainWork;
  delete G.__jadechainHost;
  delete G.__jadechainWork;
  const parse = JSON.parse, stringify = JSON.stringify, toText = String, toBigInt = BigInt;
  const isSafeInteger = Number.isSafeInteger, isArray = Array.isArray, freeze = Object.freeze;
  const defineProperty = Object.defineProperty, getPrototypeOf = Object.getPrototypeOf;
  const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
  const Bytes = Uint8Array, ErrorType = Error;
  const HEX = '0123456789abcdef';
  const TYPED = '__jadechainType';

  function forbidden(name) {
    return function () {
      host('forbidden', name);
      throw new ErrorType(name + ' is not available to contracts');
    };
  }
  for (const name of ['Date', 'WeakRef', 'FinalizationRegistry', 'eval', 'Function', 'SharedArrayBuffer', 'Atomics']) {
    const trap = forbidden(name);
    defineProperty(G, name, { get: trap, set: trap, configurable: false });
  }
  defineProperty(Math, 'random', { value: forbidden('Math.random'), writable: false, configurable: false });
  for (const sample of [function () {}, function* () {}, async function () {}, async function* () {}]) {
    defineProperty(getPrototypeOf(sample), 'constructor', { value: forbidden('Function'), writable: false, configurable: false });
  }

  // Builtins that loop in C never reach the interrupt handler: each call is charged before it
  // runs for the elements it may touch (len(this), or what it was asked to build; sort n log n)
  // and after it for its result's length, also when it throws, so that one call cannot scan
  // beyond the gas left and a loop of them (even one catching out-of-memory errors) runs out of
  // gas like a loop of simple steps.
  const apply = Reflect.apply, log2 = Math.log2, ceil = Math.ceil, max = Math.max, toNumber = Number;
  function lengthOf(value) {
    if (value === null || value === undefined) return 0;
    const length = value.length;
    return typeof length === 'number' ? length : 0;
  }
  const SIZES = {
    plain: (n) => n,
    sorting: (n) => n * ceil(log2(n + 1)),
    repeat: (n, args) => n * (toNumber(args[0]) || 0),
    pad: (n, args) => toNumber(args[0]) || 0,
  };
  function meter(owner, names, size) {
    for (const name of names) {
      const original = owner[name];
      if (typeof original !== 'function') continue;
      const wrapped = { [name](...args) {
        const self = this;
        const n = lengthOf(self);
        if (!work(max(size(n, args), n))) throw new ErrorType('out of gas');
        let result;
        try {
          result = apply(original, self, args);
        } finally {
          if (!work(lengthOf(result))) throw new ErrorType('out of gas');
        }
        return result;
      } }[name];
      defineProperty(owner, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
    }
  }
  const SCANS = ['indexOf', 'lastIndexOf', 'includes', 'join', 'fill', 'reverse', 'slice', 'concat', 'copyWithin',
    'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex',
    'toReversed', 'with'];
  const TYPED_ARRAY = getPrototypeOf(Uint8Array.prototype);
  meter(Array.prototype, [...SCANS, 'splice', 'flat', 'flatMap', 'shift', 'unshift', 'toSpliced'], SIZES.plain);
  meter(Array.prototype, ['sort', 'toSorted'], SIZES.sorting);
  meter(TYPED_ARRAY, [...SCANS, 'set'], SIZES.plain);
  meter(TYPED_ARRAY, ['sort', 'toSorted'], SIZES.sorting);
  meter(String.prototype, ['indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith', 'search', 'match', 'replace',
    'replaceAll', 'split', 'concat', 'slice', 'substring', 'substr', 'toUpperCase', 'toLowerCase', 'toLocaleUpperCase',
    'toLocaleLowerCase', 'trim', 'trimStart', 'trimEnd', 'normalize', 'localeCompare'], SIZES.plain);
  meter(String.prototype, ['repeat'], SIZES.repeat);
  meter(String.prototype, ['padStart', 'padEnd'], SIZES.pad);

  function failure(code, message) {
    const error = new ErrorType(message);
    error.code = code;
    return error;
  }
  function request(op, payload) {
    const reply = parse(host(op, stringify(payload)));
    if (reply.err) throw failure(reply.err.code, reply.err.message);
    return reply.ok;
  }
  function hex(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
    return out;
  }
  function unhex(text) {
    const out = new Bytes(text.length / 2);
    // Lower-case hex only (the host sends no other); charCodeAt is not metered, so this stays linear.
    const nibble = (code) => (code <= 57 ? code - 48 : code - 87);
    for (let i = 0; i < out.length; i++) out[i] = (nibble(text.charCodeAt(2 * i)) << 4) | nibble(text.charCodeAt(2 * i + 1));
    return out;
  }
  function toWire(value) {
    if (value === null || value === undefined) return { t: 'NIL' };
    switch (typeof value) {
      case 'boolean': return { t: 'BOOLEAN', v: value };
      case 'bigint': return { t: 'INT64', v: toText(value) };
      case 'string': return { t: 'TEXT', v: value };
      case 'number':
        if (!isSafeInteger(value)) throw failure('INVALID_VALUE', 'only safe integers can cross the contract boundary, not ' + toText(value));
        return { t: 'INT64', v: toText(value) };
      case 'object':
        if (value instanceof Bytes) return { t: 'BYTES', v: hex(value) };
        if (hasOwn(value, TYPED)) return { t: toText(value[TYPED]), v: toText(value.value) };
        return { t: 'JSON', v: stringify(value) };
      default:
        throw failure('INVALID_VALUE', 'a ' + typeof value + ' cannot cross the contract boundary');
    }
  }
  function fromWire(wire) {
    switch (wire.t) {
      case 'NIL': return null;
      case 'INT64': case 'TIMESTAMP': return toBigInt(wire.v);
      case 'JSON': return parse(wire.v);
      case 'BYTES': return unhex(wire.v);
      default: return wire.v;
    }
  }
  function marker(type) {
    return function (value) { return freeze({ [TYPED]: type, value: value }); };
  }
  function describe(error) {
    try {
      if (typeof error === 'object' && error !== null) {
        return { name: toText(error.name), message: toText(error.message), stack: typeof error.stack === 'string' ? error.stack : '' };
      }
      return { name: 'Error', message: toText(error), stack: '' };
    } catch (inner) {
      return { name: 'Error', message: 'unprintable exception', stack: '' };
    }
  }
  function makeContext(info) {
    return freeze({
      self: info.self,
      caller: info.caller,
      signers: freeze(info.signers),
      tx: freeze({ hash: info.txHash, blockHeight: toBigInt(info.blockHeight), blockTimestamp: toBigInt(info.blockTimestamp) }),
      kv: freeze({
        get(account, key) {
          const entry = request('kv.get', { account: account, key: key });
          return entry === null ? null : freeze({ version: toBigInt(entry.version), value: fromWire(entry.value) });
        },
        set(account, key, value, expectedVersion) {
          const expected = expectedVersion === undefined ? null : toText(expectedVersion);
          return toBigInt(request('kv.set', { account: account, key: key, value: toWire(value), expectedVersion: expected }));
        },
      }),
      events: freeze({
        publish(account, topic, content) {
          return toBigInt(request('event.publish', { account: account, topic: topic, content: toWire(content) }));
        },
      }),
      accounts: freeze({
        get(address) { return request('account.get', { address: address }); },
      }),
      call(address, method) {
        const args = [];
        for (let i = 2; i < arguments.length; i++) args.push(toWire(arguments[i]));
        return fromWire(request('call', { address: address, method: method, args: args }));
      },
      typed: freeze({
        timestamp: marker('TIMESTAMP'), hash: marker('HASH'), pubKey: marker('PUBKEY'), signature: marker('SIGNATURE'),
      }),
    });
  }

  let exported = null;
  return freeze({
    load(factory) {
      const module = { exports: {} };
      factory(module, module.exports);
      exported = module.exports;
    },
    invoke(method, argsText, infoText) {
      if (exported === null || typeof exported !== 'object' && typeof exported !== 'function' ||
          !hasOwn(exported, method) || typeof exported[method] !== 'function') {
        return stringify({ missing: true });
      }
      let result;
      try {
        const args = parse(argsText);
        const values = [];
        for (let i = 0; i < args.length; i++) values.push(fromWire(args[i]));
        result = exported[method](makeContext(parse(infoText)), ...values);
      } catch (error) {
        return stringify({ threw: describe(error) });
      }
      try {
        return stringify({ ok: toWire(result) });
      } catch (error) {
        return stringify({ invalid: describe(error).message });
      }
    },
  });
})()`;
