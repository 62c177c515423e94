import { LEDGER_NOT_FOUND, type PeerQuery } from './ws-feeds.js';

interface TipAnswer {
  readonly success?: boolean;
  readonly data?: { readonly height?: unknown };
  readonly error?: { readonly errorCode?: number; readonly errorMessage?: string };
}

/** After a failed poll (no peer, unknown ledger), the next one waits this long. */
const RETRY_MS = 500;
/** The peer caps a tip wait at 30 s (spec/node-protocol.md §6). */
const MAX_WAIT_MS = 30_000;

/**
 * The committed tip of one ledger, followed by a long poll on a peer (`/events/tip`) for as long
 * as some stream listens. Listeners hear every change of height; a stream that missed one is
 * never wrong, only later, because it reads by position.
 */
class LedgerTip {
  height: number | undefined;
  /** Set when the peer answered that it holds no such ledger. */
  unknown: string | undefined;
  readonly #listeners = new Set<() => void>();
  #polling = false;

  constructor(
    private readonly query: PeerQuery,
    private readonly ledger: string,
    private readonly waitMs: number,
  ) {}

  get idle(): boolean {
    return this.#listeners.size === 0;
  }

  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#polling) void this.#poll();
    return () => this.#listeners.delete(listener);
  }

  async #poll(): Promise<void> {
    this.#polling = true;
    while (this.#listeners.size > 0) {
      const known = this.height;
      const parameters = known === undefined ? '' : `after=${known}&waitMs=${this.waitMs}`;
      let height: number | undefined;
      try {
        const answer = JSON.parse((await this.query(`/ledgers/${this.ledger}/events/tip`, parameters)).body) as TipAnswer;
        if (answer.success === true && typeof answer.data?.height === 'number') height = answer.data.height;
        this.unknown = answer.error?.errorCode === LEDGER_NOT_FOUND ? (answer.error.errorMessage ?? 'no such ledger') : undefined;
      } catch {
        // No peer reachable right now: the streams keep their positions and the poll tries again.
      }
      if (height === undefined) {
        // Streams still learn of the failure when they read (an unknown ledger ends them).
        for (const listener of [...this.#listeners]) listener();
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      // A lagging peer may answer below what another peer already said: the tip never goes back.
      if (known === undefined || height > known) {
        this.height = height;
        for (const listener of [...this.#listeners]) listener();
      }
    }
    this.#polling = false;
  }
}

/** The tips of the ledgers that have streams on this gateway, each polled once however many streams follow it. */
export class LedgerTips {
  readonly #tips = new Map<string, LedgerTip>();
  readonly #waitMs: number;

  /** `peerRequestMs` bounds a QUERY; each poll asks the peer to answer well within it. */
  constructor(
    private readonly query: PeerQuery,
    peerRequestMs: number,
  ) {
    this.#waitMs = Math.max(0, Math.min(MAX_WAIT_MS, Math.floor(peerRequestMs / 2)));
  }

  /** Calls `listener` whenever the ledger's tip moves (or a poll failed); returns the way to stop. */
  listen(ledger: string, listener: () => void): () => void {
    let tip = this.#tips.get(ledger);
    if (tip === undefined) this.#tips.set(ledger, (tip = new LedgerTip(this.query, ledger, this.#waitMs)));
    const stop = tip.listen(listener);
    const current = tip;
    return () => {
      stop();
      if (current.idle && this.#tips.get(ledger) === current) this.#tips.delete(ledger);
    };
  }

  /** The last committed height heard of (undefined before the first answer), or why the ledger is unknown. */
  state(ledger: string): { readonly height?: number; readonly unknown?: string } {
    const tip = this.#tips.get(ledger);
    return { ...(tip?.height === undefined ? {} : { height: tip.height }), ...(tip?.unknown === undefined ? {} : { unknown: tip.unknown }) };
  }
}
