import type { CommittedBlock, Misbehaviour, ValidatorSet } from '@jadechain/consensus';
import type { HashDigest, PubKey } from '@jadechain/crypto';
import type { Ledger } from '@jadechain/ledger';
import type { Logger } from '@jadechain/service';
import type { Admission } from '../mempool/index.js';
import { ClusterError } from './errors.js';
import { TransactionFetcher } from './fetch.js';
import { ProposerHints } from './hints.js';
import type { PeerLinks } from './links.js';
import type { ClusterMetrics } from './metrics.js';
import { ConsensusNetwork, type SenderStanding } from './network.js';
import { BlockSync, FOLLOWER_SYNC_POLL_MS } from './sync.js';
import { participantIdOf, validatorSetOf } from './validators.js';

/** What every ledger of a peer shares on the peer↔peer side. */
export interface ClusterParts {
  readonly links: PeerLinks;
  readonly metrics: ClusterMetrics;
  readonly logger: Logger;
}

/**
 * This peer's part in a ledger's consensus: the single-node engine alone, a BFT validator (by
 * participant id), or a follower (a BFT ledger whose CONSENSUS participants do not include this
 * peer's identity: it takes certified blocks by block sync and votes on nothing).
 */
export type ConsensusRole = { readonly kind: 'single' } | { readonly kind: 'validator'; readonly id: number } | { readonly kind: 'follower' };

/** Chooses the role; refuses "single" on a ledger with several CONSENSUS participants (CONSENSUS_MISMATCH). */
export function consensusRoleOf(ledger: Ledger, identity: PubKey, protocol: 'bft' | 'single'): ConsensusRole {
  const voting = ledger.tip
    .state()
    .participants()
    .filter((participant) => participant.state === 'CONSENSUS');
  if (protocol === 'single') {
    if (voting.length > 1) {
      throw new ClusterError(
        'CONSENSUS_MISMATCH',
        `ledger ${ledger.ledgerHash.toBase58()} has ${voting.length} CONSENSUS participants, and "single" orders a ledger of one; set consensus.protocol to "bft" and list the other peers`,
      );
    }
    return { kind: 'single' };
  }
  const own = voting.find((participant) => participant.pubKey.equals(identity));
  return own === undefined ? { kind: 'follower' } : { kind: 'validator', id: own.id };
}

/** The /status view of a ledger's consensus. */
export interface ConsensusStatus {
  readonly protocol: 'bft' | 'single';
  readonly role: ConsensusRole['kind'];
  readonly height: number;
  readonly validators: ReadonlyArray<{ readonly id: number; readonly publicKey: string; readonly connected: boolean }>;
  readonly syncing: boolean;
}

export interface LedgerClusterOptions {
  readonly ledger: Ledger;
  readonly role: Exclude<ConsensusRole, { readonly kind: 'single' }>;
  readonly identity: PubKey;
  readonly parts: ClusterParts;
  /** Admits a fetched transaction through the mempool (no gateway waits for it). */
  readonly admit: (bytes: Uint8Array) => Promise<Admission>;
  /** Whether the mempool holds this transaction already. */
  readonly pooled: (hash: HashDigest) => boolean;
  /** A block sync committed: the host tells the pool and whoever waits. */
  readonly committed: (block: CommittedBlock) => void;
}

/** What block sync and the metrics need of a validator's BFT engine. */
export interface PausableEngine {
  pause(): Promise<void>;
  resume(): void;
  onMisbehaviour(listener: (misbehaviour: Misbehaviour) => void): () => void;
  awaitingTransactionsAt(height: number): boolean;
}

/**
 * One BFT ledger's links to the other peers: its consensus network, the fetcher of missing
 * transactions and block sync. The validator set is the ledger's (validatorSetOf its tip),
 * recomputed when the tip moves.
 */
export class LedgerCluster {
  readonly network: ConsensusNetwork;
  readonly fetcher: TransactionFetcher;
  readonly hints: ProposerHints;
  readonly #options: LedgerClusterOptions;
  readonly #sync: BlockSync;
  #engine: PausableEngine | undefined;
  #validators: { readonly height: number; readonly set: ValidatorSet } | undefined;

  constructor(options: LedgerClusterOptions) {
    this.#options = options;
    const { ledger, role, parts } = options;
    const self = role.kind === 'validator' ? role.id : -1;
    this.network = new ConsensusNetwork({
      ledgerHash: ledger.ledgerHash,
      links: parts.links,
      metrics: parts.metrics,
      self,
      validators: () => this.validators(),
      standing: (identity) => this.#standing(identity),
    });
    this.fetcher = new TransactionFetcher({
      ledgerHash: ledger.ledgerHash,
      links: parts.links,
      metrics: parts.metrics,
      logger: parts.logger,
      sources: () => this.validators().members.filter((validator) => validator.id !== self).map((validator) => validator.publicKey),
      hashAlgorithm: () => ledger.tip.settings().crypto.hashAlgorithm,
      admit: options.admit,
    });
    this.hints = new ProposerHints({
      ledgerHash: ledger.ledgerHash,
      links: parts.links,
      metrics: parts.metrics,
      validators: () => this.validators(),
      standing: (identity) => this.#standing(identity),
      fetcher: this.fetcher,
      awaitingTransactionsAt: (height) => this.#engine?.awaitingTransactionsAt(height) ?? false,
      pooled: options.pooled,
    });
    this.#sync = new BlockSync({
      target: {
        ledger,
        pause: async () => this.#engine?.pause(),
        resume: () => this.#engine?.resume(),
        committed: options.committed,
      },
      links: parts.links,
      metrics: parts.metrics,
      logger: parts.logger,
      ...(role.kind === 'follower' ? { pollMs: FOLLOWER_SYNC_POLL_MS, lagMs: 0 } : {}),
    });
  }

  /** The validators of the height after the committed tip. */
  validators(): ValidatorSet {
    const height = this.#options.ledger.tip.height;
    if (this.#validators?.height !== height) this.#validators = { height, set: validatorSetOf(this.#options.ledger.tip) };
    return this.#validators.set;
  }

  /** The validator's engine: block sync pauses and resumes it; its misbehaviour reports are counted. */
  attach(engine: PausableEngine): void {
    this.#engine = engine;
    const { metrics, logger } = this.#options.parts;
    engine.onMisbehaviour((misbehaviour) => {
      metrics.misbehaviour.add(misbehaviour.kind);
      logger.warn('consensus misbehaviour', { ledger: this.#options.ledger.ledgerHash.toBase58(), kind: misbehaviour.kind, validator: misbehaviour.validator, height: misbehaviour.height, round: misbehaviour.round, detail: misbehaviour.detail });
    });
  }

  start(): void {
    this.#sync.start();
  }

  stop(): Promise<void> {
    return this.#sync.stop();
  }

  /** Polls peers' tips now (and syncs if behind), instead of waiting for the next poll. */
  poll(): Promise<void> {
    return this.#sync.poll();
  }

  status(): ConsensusStatus {
    const { links } = this.#options.parts;
    const { identity, ledger, role } = this.#options;
    return {
      protocol: 'bft',
      role: role.kind,
      height: ledger.tip.height,
      validators: this.validators().members.map((validator) => ({
        id: validator.id,
        publicKey: validator.publicKey.toBase58(),
        connected: validator.publicKey.equals(identity) || links.isConnected(validator.publicKey),
      })),
      syncing: this.#sync.syncing,
    };
  }

  #standing(identity: PubKey): SenderStanding {
    const id = participantIdOf(this.#options.ledger.tip, identity);
    if (id === undefined) return 'UNKNOWN_KEY';
    return this.validators().has(id) ? { validator: id } : 'NOT_VALIDATOR';
  }
}
