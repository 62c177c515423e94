import { createHash } from 'node:crypto';
import type { Address } from '@jadechain/crypto';
import type { InvocationReceipt } from '@jadechain/ledger';
import type { ContractLimits } from './limits.js';
import type { GasReport } from './meter.js';
import { LocalLedger, labelAddress, type Submitted } from './local-ledger.js';
import { fromTypedValue, toTypedValue } from './typed.js';

export interface RunOptions {
  /** The ledger to run against; a fresh one by default. */
  readonly ledger?: LocalLedger;
  /** Labels of the users signing the transaction; "alice" by default. */
  readonly signers?: readonly string[];
  /** Contract limits of a fresh ledger (ignored when `ledger` is given: limits are the ledger's). */
  readonly limits?: Partial<ContractLimits>;
  /** The contract version the caller expects to run. */
  readonly version?: bigint;
}

/** One invocation as the ledger recorded it, with its value as plain JavaScript. */
export interface RunResult extends Submitted {
  /** The returned value as plain JavaScript (SUCCESS only). */
  readonly value: unknown;
  /** The invocation's receipt: gas used and, when it failed, the contract's code, message and stack. */
  readonly invocation: InvocationReceipt | undefined;
  /** The full gas report of the invocation (nested calls included). */
  readonly gas: GasReport | undefined;
  readonly ledger: LocalLedger;
  readonly contract: Address;
}

/**
 * Deploys `code` on a real ledger over memory storage (or reuses its deployment there) and
 * invokes `method` with `args` (plain values, typed as `toTypedValue` does) in a block of its own.
 */
export async function runContract(code: string, method: string, args: readonly unknown[], options: RunOptions = {}): Promise<RunResult> {
  const ledger = options.ledger ?? (await LocalLedger.create(options.limits === undefined ? {} : { limits: options.limits }));
  const label = `contract:${createHash('sha256').update(code).digest('hex')}`;
  const contract = labelAddress(label);
  if (ledger.ledger.tip.state().contract(contract) === undefined) await ledger.deploy(label, code);
  return invokeOn(ledger, contract, method, args, options);
}

/** Invokes an already deployed contract on a harness ledger. */
export async function invokeOn(ledger: LocalLedger, contract: Address, method: string, args: readonly unknown[], options: Omit<RunOptions, 'ledger' | 'limits'> = {}): Promise<RunResult> {
  const submitted = await ledger.submit(
    [{ type: 'ContractInvoke', address: contract, method, args: args.map(toTypedValue), ...(options.version === undefined ? {} : { version: options.version }) }],
    options.signers ?? ['alice'],
  );
  const returned = submitted.result.operationResults[0]?.value;
  return {
    ...submitted,
    value: returned === undefined ? undefined : fromTypedValue(returned),
    invocation: submitted.receipt?.invocations[0],
    gas: submitted.gasReports[0],
    ledger,
    contract,
  };
}
