import type { ContractCall, ContractCodeCheck, ContractExecution, ContractExecutor, ContractHost } from '@jadechain/ledger';
import { SANDBOX_VERSION, type ContractLimits } from './limits.js';
import type { GasReport } from './meter.js';
import { ContractEngine } from './runtime.js';

/**
 * The ledger's contract executor on QuickJS: what a peer passes as `contractExecutor` when it
 * opens a ledger. Limits are consensus-relevant; every peer of a ledger must use the same ones
 * (the defaults unless a test says otherwise).
 */
export class QuickJsContractExecutor implements ContractExecutor {
  readonly sandboxVersion = SANDBOX_VERSION;

  private constructor(
    private readonly engine: ContractEngine,
    private readonly limits: Partial<ContractLimits>,
    private readonly onGas: ((gas: GasReport) => void) | undefined,
  ) {}

  /**
   * Loads the WebAssembly module (once per process); the executor itself is synchronous.
   * `onGas` sees the full gas report of each invocation (the ledger records only `used`).
   */
  static async load(limits: Partial<ContractLimits> = {}, onGas?: (gas: GasReport) => void): Promise<QuickJsContractExecutor> {
    return new QuickJsContractExecutor(await ContractEngine.load(limits), limits, onGas);
  }

  checkCode(code: string): ContractCodeCheck {
    const check = this.engine.check(code, this.limits);
    if (check.status === 'LOADS') return { status: 'LOADS' };
    return check.status === 'FAILED' ? { status: 'FAILED', error: check.error } : { status: 'ABSTAIN', reason: check.reason };
  }

  invoke(host: ContractHost, call: ContractCall): ContractExecution {
    const outcome = this.engine.invoke(host, { ...call, limits: this.limits });
    this.onGas?.(outcome.gas);
    const gasUsed = outcome.gas.used;
    switch (outcome.status) {
      case 'SUCCESS':
        return { status: 'SUCCESS', value: outcome.value, derivedOperations: outcome.derivedOperations, gasUsed };
      case 'FAILED':
        return { status: 'FAILED', error: outcome.error, gasUsed };
      case 'ABSTAIN':
        return { status: 'ABSTAIN', reason: outcome.reason };
    }
  }
}
