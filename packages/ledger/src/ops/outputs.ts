import type { Operation, OperationResult } from '@jadechain/types';
import type { InvocationReceipt } from '../contracts/receipt.js';

/**
 * What one transaction's operations produce besides state: return values and derived operations
 * (kept only if the transaction succeeds) and contract receipts (kept either way: a failed
 * invocation still used its gas, and its error is the client's to read).
 */
export class TransactionOutputs {
  readonly operationResults: OperationResult[] = [];
  readonly derivedOperations: Operation[] = [];
  readonly invocations: InvocationReceipt[] = [];
}
