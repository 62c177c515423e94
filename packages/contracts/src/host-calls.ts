import { Address } from '@jadechain/crypto';
import { ContractError, ContractErrorCode, HostRefusal } from './errors.js';
import type { AccountView, ContractRefusal, DerivedOperation } from './host.js';
import { GAS } from './limits.js';
import type { Invocation } from './runtime.js';
import { fromWire, toWire } from './values.js';

/** A refusal the contract may catch: no state changed, the call simply did not happen. */
class CallRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Payload = Readonly<Record<string, unknown>>;

/**
 * Answers the host calls of one running contract. Payloads come from contract code: they are
 * parsed JSON, checked field by field, and never merged into host objects. Every call pays a
 * base price plus the bytes that cross, before any work is done.
 */
export class HostCalls {
  constructor(
    private readonly invocation: Invocation,
    private readonly self: Address,
    private readonly depth: number,
  ) {}

  answer(op: string, payloadText: string): string {
    const { meter } = this.invocation;
    if (op === 'forbidden') {
      meter.fail({ code: ContractErrorCode.FORBIDDEN_API, message: `the contract used ${payloadText.slice(0, 40)}, which contracts may not use` });
    }
    if (!meter.charge('hostCalls', GAS.hostCall) || !meter.charge('dataBytes', payloadText.length * GAS.dataByte)) {
      return refusal(ContractErrorCode.OUT_OF_GAS, 'stopped');
    }
    let reply: string;
    try {
      reply = JSON.stringify({ ok: this.#dispatch(op, JSON.parse(payloadText) as unknown) });
    } catch (error) {
      if (error instanceof CallRefused || error instanceof HostRefusal) return refusal(error.code, error.message);
      if (error instanceof ContractError) return refusal(error.code, error.message);
      // A failure of the host itself (storage, a bug) is not the contract's: stop everything and
      // let the engine rethrow it to the ledger.
      this.invocation.hostFailure ??= { error };
      meter.fail({ code: ContractErrorCode.OUT_OF_GAS, message: 'host failure' });
      return refusal('HOST_FAILURE', 'host failure');
    }
    if (!meter.charge('dataBytes', reply.length * GAS.dataByte)) return refusal(ContractErrorCode.OUT_OF_GAS, 'stopped');
    return reply;
  }

  #dispatch(op: string, payload: unknown): unknown {
    if (typeof payload !== 'object' || payload === null) throw new CallRefused(ContractErrorCode.INVALID_VALUE, 'malformed host call');
    const fields = payload as Payload;
    switch (op) {
      case 'kv.get':
        return this.#kvGet(fields);
      case 'kv.set':
        return this.#kvSet(fields);
      case 'event.publish':
        return this.#publish(fields);
      case 'account.get':
        return this.#account(fields);
      case 'call':
        return this.#call(fields);
      default:
        throw new CallRefused(ContractErrorCode.INVALID_VALUE, `unknown host call ${op.slice(0, 40)}`);
    }
  }

  #kvGet(fields: Payload): unknown {
    const entry = this.invocation.overlay.getKv(addressField(fields, 'account'), textField(fields, 'key'));
    return entry === undefined ? null : { version: entry.version.toString(), value: toWire(entry.value) };
  }

  #kvSet(fields: Payload): string {
    if (!this.invocation.meter.charge('hostCalls', GAS.kvWrite)) throw new CallRefused(ContractErrorCode.OUT_OF_GAS, 'stopped');
    const account = addressField(fields, 'account');
    const key = textField(fields, 'key');
    const current = this.invocation.overlay.getKv(account, key)?.version ?? -1n;
    const expected = fields['expectedVersion'];
    if (expected !== null && (typeof expected !== 'string' || !/^-?[0-9]{1,19}$/.test(expected) || BigInt(expected) !== current)) {
      throw new CallRefused('DATA_VERSION_CONFLICT', `key "${key}" is at version ${current}, not ${String(expected)}`);
    }
    return this.#perform({ type: 'KvSet', account, key, value: fromWire(fields['value']), expectedVersion: current, contract: this.self });
  }

  #publish(fields: Payload): string {
    if (!this.invocation.meter.charge('hostCalls', GAS.eventPublish)) throw new CallRefused(ContractErrorCode.OUT_OF_GAS, 'stopped');
    const account = addressField(fields, 'account');
    const topic = textField(fields, 'topic');
    const expectedSequence = this.invocation.overlay.eventSequence(account, topic);
    const content = fromWire(fields['content']);
    return this.#perform({ type: 'EventPublish', account, topic, content, expectedSequence, contract: this.self });
  }

  /** Checks the operation with the ledger, records it, and returns the new version or sequence. */
  #perform(operation: DerivedOperation): string {
    refuseIfDenied(this.invocation.host.authorize(operation));
    this.invocation.overlay.record(operation);
    return (operation.type === 'KvSet' ? operation.expectedVersion + 1n : operation.expectedSequence + 1n).toString();
  }

  #account(fields: Payload): unknown {
    const account = this.invocation.host.getAccount(addressField(fields, 'address'));
    return account === undefined ? null : accountJson(account);
  }

  #call(fields: Payload): unknown {
    const address = addressField(fields, 'address');
    const method = textField(fields, 'method');
    const args = fields['args'];
    if (!Array.isArray(args)) throw new CallRefused(ContractErrorCode.INVALID_VALUE, 'call arguments must be a list');
    const wireArgs = args.map((arg: unknown) => toWire(fromWire(arg)));
    refuseIfDenied(this.invocation.host.authorize({ type: 'ContractInvoke', address, method, caller: this.self }));
    const result = this.invocation.call(address, method, wireArgs, this.self, this.depth + 1);
    if (!result.ok) throw new CallRefused(result.error.code, result.error.message);
    return toWire(result.value);
  }
}

function refuseIfDenied(refused: ContractRefusal | undefined): void {
  if (refused !== undefined) throw new HostRefusal(refused.code, refused.message);
}

function refusal(code: string, message: string): string {
  return JSON.stringify({ err: { code, message } });
}

function textField(fields: Payload, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string') throw new CallRefused(ContractErrorCode.INVALID_VALUE, `${name} must be a string`);
  return value;
}

/** Addresses recently parsed from contracts' text, by text (a contract names the same few accounts call after call). */
const recentAddresses = new Map<string, Address>();
const RECENT_ADDRESSES = 4096;

function addressField(fields: Payload, name: string): Address {
  const text = textField(fields, name);
  let address = recentAddresses.get(text);
  if (address !== undefined) return address;
  try {
    address = Address.fromBase58(text);
  } catch {
    throw new CallRefused(ContractErrorCode.INVALID_VALUE, `${name} "${text.slice(0, 60)}" is not an address`);
  }
  // Addresses are immutable, so one instance may serve every call that names the same text.
  if (recentAddresses.size >= RECENT_ADDRESSES) recentAddresses.clear();
  recentAddresses.set(text, address);
  return address;
}

function accountJson(account: AccountView): unknown {
  return {
    kind: account.kind,
    address: account.address.toBase58(),
    owners: account.owners.map((owner) => owner.toBase58()),
    modeBits: account.modeBits,
    state: account.state,
  };
}
