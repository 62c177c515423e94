import { CodecLimits, address, list, optional, struct, text, u32, uint64 } from '@jadechain/types';
import type { Infer } from '@jadechain/types';
import { LedgerError } from '../errors.js';
import type { ContractFailure } from './port.js';

/** Longest message or stack kept in a receipt, in UTF-16 units (≤ 4 UTF-8 bytes each). */
const MAX_FAILURE_TEXT = 2048;

const FailureRecord = struct({
  code: text({ max: 4 * 64 }),
  message: text({ max: 4 * MAX_FAILURE_TEXT }),
  stack: text({ max: 4 * MAX_FAILURE_TEXT }),
});

/** One ContractInvoke of a transaction: what ran, the gas it used and, if it failed, why. */
const InvocationReceipt = struct({
  operationIndex: u32,
  contract: address,
  version: uint64,
  method: text({ max: CodecLimits.MAX_METHOD_BYTES }),
  gasUsed: uint64,
  failure: optional(FailureRecord),
});
export type InvocationReceipt = Infer<typeof InvocationReceipt>;

/**
 * What running a transaction's contracts produced beyond its TransactionResult: gas and the
 * contract's error (message and stack). Recorded beside the result and covered by the
 * transaction's leaf in the block (ADR 0011), so peers that disagree about it cannot agree on the
 * block. A transaction that invoked no contract has no receipt.
 */
export const ContractReceipt = struct({
  sandboxVersion: text({ max: 256 }),
  invocations: list(InvocationReceipt, { min: 1, max: CodecLimits.MAX_OPERATIONS }),
});
export type ContractReceipt = Infer<typeof ContractReceipt>;

export function encodeReceipt(receipt: ContractReceipt): Uint8Array {
  return ContractReceipt.encode(receipt);
}

export function decodeReceipt(bytes: Uint8Array): ContractReceipt {
  try {
    return ContractReceipt.decode(bytes);
  } catch (error) {
    throw new LedgerError('CORRUPT_STATE', `a stored contract receipt does not decode: ${(error as Error).message}`);
  }
}

/** A failure as recorded: bounded, well-formed text (a contract chooses its messages). */
export function failureRecord(failure: ContractFailure): Infer<typeof FailureRecord> {
  return { code: bounded(failure.code, 64), message: bounded(failure.message, MAX_FAILURE_TEXT), stack: bounded(failure.stack, MAX_FAILURE_TEXT) };
}

/** Cut to `units` UTF-16 units, lone surrogates (a cut pair, or the contract's own) replaced. */
function bounded(value: string, units: number): string {
  return value.slice(0, units).replace(LONE_SURROGATE, '\uFFFD');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
