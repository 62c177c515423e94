import { EngineError, type ConsensusEngine, type EngineState, type EngineStatus } from '@jadechain/consensus';
import type { Ledger } from '@jadechain/ledger';

/** What a subscription to an event that never happens returns. */
const NOTHING_TO_UNSUBSCRIBE = (): void => undefined;

/** An engine that orders nothing, so it never commits, rejects or fails: nothing to listen to. */
export abstract class SilentEngine implements ConsensusEngine {
  abstract readonly status: EngineStatus;
  abstract start(): void;
  abstract stop(): Promise<void>;

  onCommitted(): () => void {
    return NOTHING_TO_UNSUBSCRIBE;
  }

  onRejected(): () => void {
    return NOTHING_TO_UNSUBSCRIBE;
  }

  onFailed(): () => void {
    return NOTHING_TO_UNSUBSCRIBE;
  }
}

/**
 * The engine of a peer whose identity is not a CONSENSUS participant of the ledger: it votes on
 * nothing and proposes nothing. The ledger grows by block sync alone (whose blocks the host
 * reports itself), and the peer serves queries of certified blocks.
 */
export class FollowerEngine extends SilentEngine {
  readonly #ledger: Ledger;
  #state: EngineState = 'created';

  constructor(ledger: Ledger) {
    super();
    this.#ledger = ledger;
  }

  get status(): EngineStatus {
    const height = this.#ledger.tip.height;
    return { state: this.#state, committedHeight: height, executedHeight: height };
  }

  start(): void {
    if (this.#state !== 'created') throw new EngineError('INVALID_STATE', `cannot start an engine that is ${this.#state}`);
    this.#state = 'running';
  }

  stop(): Promise<void> {
    this.#state = 'stopped';
    return Promise.resolve();
  }
}
