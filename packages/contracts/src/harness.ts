import { createHash } from 'node:crypto';
import { Address, HashDigest, PubKey } from '@jadechain/crypto';
import type { TypedValue } from '@jadechain/types';
import { HostRefusal } from './errors.js';
import type { AccountKind, AccountView, ContractHost, DeployedContract, DerivedOperation, KvEntryView, NestedInvocation } from './host.js';
import type { ContractLimits } from './limits.js';
import { ContractEngine, type InvocationOutcome } from './runtime.js';
import { fromTypedValue, toTypedValue } from './typed.js';

const WRITE = 0o2;
const EXECUTE = 0o1;

function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text).digest());
}

/** A stable address for a label, so harness runs are reproducible. */
export function labelAddress(label: string): Address {
  return Address.fromPublicKey(new PubKey('ED25519', sha256(`jadechain-harness:${label}`)));
}

/**
 * An in-memory stand-in for the ledger for contract unit tests: accounts with owners and mode
 * bits, versioned KV entries, event sequences and deployed code. Permission checks follow
 * spec/ledger.md §7.2, with the writing contract counted as a signer (JD Chain runs derived
 * operations "with the contract's context"). The wiring step replaces it by the real ledger
 * package on memory storage.
 */
export class InMemoryLedger {
  readonly #accounts = new Map<string, AccountView>();
  readonly #kv = new Map<string, KvEntryView[]>();
  readonly #events = new Map<string, TypedValue[]>();
  readonly #contracts = new Map<string, DeployedContract>();
  #transactions = 0;
  blockHeight = 1n;
  blockTimestamp = 1_700_000_000_000n;

  #add(kind: AccountKind, label: string, owners: readonly Address[], modeBits: number): Address {
    const address = labelAddress(label);
    this.#accounts.set(address.toBase58(), { kind, address, owners, modeBits, state: 'NORMAL' });
    return address;
  }

  createUser(label: string): Address {
    return this.#add('USER', label, [], 0);
  }

  createDataAccount(label: string, owners: readonly Address[], modeBits = 0o755): Address {
    return this.#add('DATA', label, owners, modeBits);
  }

  createEventAccount(label: string, owners: readonly Address[], modeBits = 0o755): Address {
    return this.#add('EVENT', label, owners, modeBits);
  }

  /** Deploys code (the output of `buildContract`) under the label's address, version 0. */
  deploy(label: string, code: string, owners: readonly Address[] = []): Address {
    const address = this.#add('CONTRACT', label, owners, 0o1755);
    const codeHash = new HashDigest('SHA256', new Uint8Array(createHash('sha256').update(code).digest()));
    this.#contracts.set(address.toBase58(), { address, version: 0n, codeHash, code });
    return address;
  }

  kv(account: Address, key: string): KvEntryView | undefined {
    return this.#kv.get(slot(account, key))?.at(-1);
  }

  events(account: Address, topic: string): readonly TypedValue[] {
    return this.#events.get(slot(account, topic)) ?? [];
  }

  /** Applies the derived operations of a successful invocation, checking versions again. */
  apply(operations: readonly DerivedOperation[]): void {
    for (const operation of operations) {
      if (operation.type === 'KvSet') {
        const versions = this.#kv.get(slot(operation.account, operation.key)) ?? [];
        if (BigInt(versions.length) - 1n !== operation.expectedVersion) throw new HostRefusal('DATA_VERSION_CONFLICT', operation.key);
        versions.push({ version: operation.expectedVersion + 1n, value: operation.value });
        this.#kv.set(slot(operation.account, operation.key), versions);
      } else {
        const events = this.#events.get(slot(operation.account, operation.topic)) ?? [];
        events.push(operation.content);
        this.#events.set(slot(operation.account, operation.topic), events);
      }
    }
  }

  /** The host view of one transaction signed by `signers`. */
  hostFor(signers: readonly Address[]): ContractHost {
    this.#transactions += 1;
    const transactionHash = new HashDigest('SHA256', sha256(`jadechain-harness-tx:${this.#transactions}`));
    return {
      transactionHash,
      blockHeight: this.blockHeight,
      blockTimestamp: this.blockTimestamp,
      signers,
      getKv: (account, key) => this.kv(account, key),
      getEventSequence: (account, topic) => BigInt(this.events(account, topic).length) - 1n,
      getAccount: (address) => this.#accounts.get(address.toBase58()),
      getContract: (address) => this.#contracts.get(address.toBase58()),
      authorize: (operation) => this.#authorize(operation, signers),
    };
  }

  #authorize(operation: DerivedOperation | NestedInvocation, signers: readonly Address[]): HostRefusal | undefined {
    if (operation.type === 'ContractInvoke') {
      const contract = this.#accounts.get(operation.address.toBase58());
      if (contract?.kind !== 'CONTRACT') return new HostRefusal('CONTRACT_DOES_NOT_EXIST', operation.address.toBase58());
      if (contract.state !== 'NORMAL') return new HostRefusal('ILLEGAL_ACCOUNT_STATE', 'the contract is not NORMAL');
      return granted(contract, [...signers, operation.caller], EXECUTE) ? undefined : new HostRefusal('REJECTED_BY_SECURITY_POLICY', 'no x permission');
    }
    const kind = operation.type === 'KvSet' ? 'DATA' : 'EVENT';
    const account = this.#accounts.get(operation.account.toBase58());
    if (account?.kind !== kind) return new HostRefusal(`${kind}_ACCOUNT_DOES_NOT_EXIST`, operation.account.toBase58());
    return granted(account, [...signers, operation.contract], WRITE) ? undefined : new HostRefusal('REJECTED_BY_SECURITY_POLICY', 'no w permission');
  }
}

/** spec/ledger.md §7.2 without roles: owners' bits for owners, others' bits for everybody else. */
function granted(account: AccountView, actors: readonly Address[], bit: number): boolean {
  return actors.some((actor) => {
    const isOwner = account.owners.some((owner) => owner.equals(actor));
    return ((account.modeBits >> (isOwner ? 6 : 0)) & bit) !== 0;
  });
}

function slot(account: Address, name: string): string {
  return `${account.toBase58()}\u0000${name}`;
}

export interface RunOptions {
  /** The ledger to run against; a fresh one by default. */
  readonly ledger?: InMemoryLedger;
  /** Signers of the transaction; one user "alice" by default. */
  readonly signers?: readonly Address[];
  readonly limits?: Partial<ContractLimits>;
}

export interface RunResult {
  readonly outcome: InvocationOutcome;
  /** The returned value as plain JavaScript (SUCCESS only). */
  readonly value: unknown;
  readonly ledger: InMemoryLedger;
  readonly contract: Address;
}

/**
 * Deploys `code` on a ledger (or reuses the deployment of identical code) and invokes `method`
 * with `args` (plain values, typed as `toTypedValue` does). Writes are applied on SUCCESS only.
 */
export async function runContract(code: string, method: string, args: readonly unknown[], options: RunOptions = {}): Promise<RunResult> {
  const engine = await ContractEngine.load();
  const ledger = options.ledger ?? new InMemoryLedger();
  const contract = labelAddress(`contract:${createHash('sha256').update(code).digest('hex')}`);
  if (ledger.hostFor([]).getContract(contract) === undefined) ledger.deploy(`contract:${createHash('sha256').update(code).digest('hex')}`, code);
  return invokeOn(engine, ledger, contract, method, args, options);
}

/** Invokes an already deployed contract on the harness ledger. */
export function invokeOn(
  engine: ContractEngine,
  ledger: InMemoryLedger,
  contract: Address,
  method: string,
  args: readonly unknown[],
  options: Omit<RunOptions, 'ledger'> = {},
): RunResult {
  const signers = options.signers ?? [labelAddress('alice')];
  const outcome = engine.invoke(ledger.hostFor(signers), {
    contract,
    method,
    args: args.map(toTypedValue),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  if (outcome.status === 'SUCCESS') ledger.apply(outcome.derivedOperations);
  return { outcome, value: outcome.status === 'SUCCESS' ? fromTypedValue(outcome.value) : undefined, ledger, contract };
}
