import type { EngineError, EngineStatus } from '@jadechain/consensus';
import type { Ledger } from '@jadechain/ledger';
import { SilentEngine } from '../cluster/index.js';

/**
 * Stands in for the engine of a role the host could not start (a change of role whose new engine
 * failed to open, say): it orders nothing and reports the failure, so that /health answers 503
 * and /status names the reason, as for an engine that failed by itself.
 */
export class FailedEngine extends SilentEngine {
  readonly #ledger: Ledger;
  readonly #failure: EngineError;

  constructor(ledger: Ledger, failure: EngineError) {
    super();
    this.#ledger = ledger;
    this.#failure = failure;
  }

  get status(): EngineStatus {
    const height = this.#ledger.tip.height;
    return { state: 'failed', committedHeight: height, executedHeight: height, failure: this.#failure };
  }

  start(): void {
    // Nothing to start: it orders nothing.
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
