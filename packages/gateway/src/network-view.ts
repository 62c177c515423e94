import { askAny, askPeer, envelopeData } from './peer-query.js';
import type { PeerLinks } from './peer-links.js';
import { quorumSize, type FinalityRule } from './tally.js';

/** The validator set of a ledger may change (participant register, activate, deactivate); it is asked for again after this long. */
const VALIDATORS_TTL_MS = 10_000;
/**
 * A peer within this many blocks of the highest height the last status poll found counts as
 * caught up (NetworkView.caughtUp; `jadechain participant` reads `caughtUpOn`).
 */
export const CAUGHT_UP_MARGIN = 2;

export interface PeerStatusJson {
  readonly publicKey: string;
  readonly host: string;
  readonly port: number;
  readonly connected: boolean;
  /** The latest known height of the first ledger listed (the usual single-ledger case); null when unknown. */
  readonly height: number | null;
  /** The latest known height of each ledger the peer holds. */
  readonly heights: Readonly<Record<string, number>>;
  /** Connected, and caught up (see `caughtUpOn`) on every ledger it holds. */
  readonly caughtUp: boolean;
  /** Per ledger hash: connected and within CAUGHT_UP_MARGIN blocks of the highest height the last status poll found (NetworkView.caughtUp). */
  readonly caughtUpOn: Readonly<Record<string, boolean>>;
  /** Milliseconds since the last frame from this peer; null when it was never heard from. */
  readonly lastSeenMs: number | null;
}

export interface LedgerQuorumJson {
  readonly ledgerHash: string;
  readonly n: number;
  readonly f: number;
  readonly quorum: number;
  /** Identity keys of the CONSENSUS participants; null when no peer could say (n is then the configured peers). */
  readonly validators: readonly string[] | null;
  readonly highestHeight: number | null;
  /** Validators among the configured peers that are connected and caught up. */
  readonly live: number;
}

/**
 * What the gateway knows of its peers: each one's latest height per ledger (from RESULT notices
 * and a status poll through QUERY every `pollMs`), when it was last heard from, and each ledger's
 * validator set with its n, f and quorum (cached for VALIDATORS_TTL_MS).
 */
export class NetworkView {
  readonly #heights = new Map<string, Map<string, number>>();
  /** Heights as the last status poll found them (asked of every peer at once): the yardstick of `caughtUp`. */
  readonly #polled = new Map<string, Map<string, number>>();
  readonly #rules = new Map<string, { readonly rule: FinalityRule; readonly until: number }>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;

  constructor(
    private readonly links: PeerLinks,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => {
      this.#polling ??= this.poll().finally(() => (this.#polling = undefined));
    }, this.pollMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#polling;
  }

  /** A height the peer reported: a poll tells the height as it is; a notice only proves the peer got at least that far. */
  observe(peer: string, ledger: string, height: number, exact: boolean): void {
    let heights = this.#heights.get(peer);
    if (heights === undefined) this.#heights.set(peer, (heights = new Map()));
    if (exact || height > (heights.get(ledger) ?? -1)) heights.set(ledger, height);
    if (!exact) return;
    let polled = this.#polled.get(peer);
    if (polled === undefined) this.#polled.set(peer, (polled = new Map()));
    polled.set(ledger, height);
  }

  /**
   * Whether `peer` is within CAUGHT_UP_MARGIN blocks of the highest height the last status poll
   * found on `ledger` (before any poll answered, of the highest height known). The measure is
   * the poll's, not the notices': result notices keep validators' heights fresh between polls,
   * but a follower gets no submissions and so no notices, and against notice heights a follower
   * one block behind looked a second of blocks behind (activation was refused until the network
   * was quiet). A peer's own height is its best known one, so a validator that is committing
   * counts as caught up even when its last poll went unanswered.
   */
  caughtUp(peer: string, ledger: string): boolean {
    const height = this.heightOf(peer, ledger);
    if (height === undefined) return false;
    let polledHighest: number | undefined;
    for (const byLedger of this.#polled.values()) {
      const polled = byLedger.get(ledger);
      if (polled !== undefined) polledHighest = Math.max(polledHighest ?? polled, polled);
    }
    return height + CAUGHT_UP_MARGIN >= (polledHighest ?? this.highest(ledger) ?? height);
  }

  heightOf(peer: string, ledger: string): number | undefined {
    return this.#heights.get(peer)?.get(ledger);
  }

  /** The ledgers any peer has reported, sorted. */
  ledgers(): string[] {
    return [...new Set([...this.#heights.values()].flatMap((heights) => [...heights.keys()]))].sort();
  }

  highest(ledger: string): number | undefined {
    const heights = [...this.#heights.values()].flatMap((byLedger) => (byLedger.has(ledger) ? [byLedger.get(ledger) as number] : []));
    return heights.length === 0 ? undefined : Math.max(...heights);
  }

  /** For a query path `/ledgers/{hash}/…`: the peers at the highest known height of that ledger (a lagging peer may not have a fresh commit yet). */
  preferredFor(path: string): (peer: string) => boolean {
    const ledger = /^\/ledgers\/([^/]+)/.exec(path)?.[1];
    const highest = ledger === undefined ? undefined : this.highest(ledger);
    if (ledger === undefined || highest === undefined) return () => true;
    return (peer) => this.heightOf(peer, ledger) === highest;
  }

  /** Who counts toward finality on `ledger`: its CONSENSUS participants, or every configured peer when no peer can say. */
  async finalityOf(ledger: string, now = Date.now()): Promise<FinalityRule> {
    const cached = this.#rules.get(ledger);
    if (cached !== undefined && cached.until > now) return cached.rule;
    const path = `/ledgers/${ledger}/participants`;
    const participants = await envelopeData<Array<{ pubKey?: unknown; participantNodeState?: unknown }>>(() =>
      askAny(this.links, { method: 'GET', path, query: '' }, this.preferredFor(path)),
    );
    if (!Array.isArray(participants)) return { size: quorumSize(this.links.peers.length) };
    const validators = new Set(participants.flatMap((p) => (p.participantNodeState === 'CONSENSUS' && typeof p.pubKey === 'string' ? [p.pubKey] : [])));
    const rule: FinalityRule = { size: quorumSize(validators.size), validators };
    this.#rules.set(ledger, { rule, until: now + VALIDATORS_TTL_MS });
    return rule;
  }

  /** Asks every connected peer which ledgers it holds and their heights. */
  async poll(): Promise<void> {
    await Promise.all(this.links.connected().map((peer) => this.#pollPeer(peer)));
  }

  async #pollPeer(peer: string): Promise<void> {
    const ledgers = await envelopeData<unknown[]>(() => askPeer(this.links, peer, { method: 'GET', path: '/ledgers', query: '' }));
    for (const ledger of Array.isArray(ledgers) ? ledgers : []) {
      if (typeof ledger !== 'string' || !/^[1-9A-HJ-NP-Za-km-z]{1,100}$/.test(ledger)) continue;
      const info = await envelopeData<{ latestBlockHeight?: unknown }>(() => askPeer(this.links, peer, { method: 'GET', path: `/ledgers/${ledger}`, query: '' }));
      if (typeof info?.latestBlockHeight === 'number') this.observe(peer, ledger, info.latestBlockHeight, true);
    }
  }

  /** Ready to serve: on every known ledger a quorum of its validators is connected (before any is known, a quorum of the configured peers). */
  async ready(): Promise<boolean> {
    const connected = this.links.connected();
    const ledgers = this.ledgers();
    if (ledgers.length === 0) return connected.length > 0 && connected.length >= quorumSize(this.links.peers.length).quorum;
    for (const ledger of ledgers) {
      const rule = await this.finalityOf(ledger);
      if (connected.filter((peer) => rule.validators?.has(peer) ?? true).length < rule.size.quorum) return false;
    }
    return true;
  }

  /** GET /network/peers. */
  async describe(now = Date.now()): Promise<{ peers: PeerStatusJson[]; ledgers: LedgerQuorumJson[] }> {
    const ledgers = this.ledgers();
    const peers = this.links.peers.map((config): PeerStatusJson => {
      const publicKey = config.publicKey.toBase58();
      const heights = Object.fromEntries(ledgers.flatMap((ledger) => {
        const height = this.heightOf(publicKey, ledger);
        return height === undefined ? [] : [[ledger, height]];
      })) as Record<string, number>;
      const held = Object.keys(heights);
      const lastSeen = this.links.lastSeen(publicKey);
      const connected = this.links.isConnected(publicKey);
      const caughtUpOn = Object.fromEntries(held.map((ledger) => [ledger, connected && this.caughtUp(publicKey, ledger)]));
      return {
        publicKey,
        host: config.host,
        port: config.port,
        connected,
        height: held.length === 0 ? null : (heights[held[0] as string] as number),
        heights,
        caughtUp: connected && held.length > 0 && held.every((ledger) => caughtUpOn[ledger] === true),
        caughtUpOn,
        lastSeenMs: lastSeen === undefined ? null : Math.max(0, now - lastSeen),
      };
    });
    const quorums = await Promise.all(ledgers.map(async (ledgerHash): Promise<LedgerQuorumJson> => {
      const rule = await this.finalityOf(ledgerHash, now);
      const highest = this.highest(ledgerHash);
      const live = peers.filter((peer) => peer.caughtUpOn[ledgerHash] === true && (rule.validators?.has(peer.publicKey) ?? true)).length;
      return { ledgerHash, ...rule.size, validators: rule.validators === undefined ? null : [...rule.validators].sort(), highestHeight: highest ?? null, live };
    }));
    return { peers, ledgers: quorums };
  }
}
