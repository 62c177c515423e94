import { MAX_HINTED_TRANSACTIONS } from '@jadechain/consensus';
import type { ProposerSilence, ValidatorSet } from '@jadechain/consensus';
import type { HashDigest, PubKey } from '@jadechain/crypto';
import type { Connection } from '@jadechain/p2p';
import type { TransactionFetcher } from './fetch.js';
import { decodeFromPeer } from './inbound.js';
import type { PeerLinks } from './links.js';
import type { ClusterMetrics } from './metrics.js';
import type { SenderStanding } from './network.js';
import { PEER_CHANNEL, PeerProposerHint } from './protocol.js';

/** Largest PeerProposerHint body: its hashes at 66 bytes each at most, and the envelope. */
const MAX_HINT_BYTES = MAX_HINTED_TRANSACTIONS * 66 + 256;

export interface ProposerHintsOptions {
  readonly ledgerHash: HashDigest;
  readonly links: PeerLinks;
  readonly metrics: ClusterMetrics;
  readonly validators: () => ValidatorSet;
  readonly standing: (identity: PubKey) => SenderStanding;
  readonly fetcher: TransactionFetcher;
  /** Whether this validator's engine would act on transactions at `height` now (it has none, or leads and has not asked for a batch). */
  readonly awaitingTransactionsAt: (height: number) => boolean;
  /** Whether the mempool holds this transaction already. */
  readonly pooled: (hash: HashDigest) => boolean;
}

/**
 * Proposer hints (spec/node-protocol.md §7.5). Transactions reach a peer only from gateways, so a
 * validator no gateway reaches has nothing to propose, and every height it leads would wait out
 * the propose timeout (3 s by default) before the next round's proposer takes over. So a
 * validator that holds transactions and has waited part of a round for the proposal names some
 * of them to the proposer; a proposer that has nothing to propose fetches those it lacks from
 * that validator, through the ordinary fetch (each verified like any other transaction). One
 * hint is acted on at a time; the others are dropped and counted.
 */
export class ProposerHints {
  readonly #options: ProposerHintsOptions;
  #fetching = false;

  constructor(options: ProposerHintsOptions) {
    this.#options = options;
  }

  /** The engine reported a silent proposer: name the transactions to it. */
  send(silence: ProposerSilence): void {
    const { links, metrics, ledgerHash } = this.#options;
    const proposer = this.#options.validators().get(silence.proposer);
    if (proposer === undefined) return;
    const body = PeerProposerHint.encode({ ledgerHash, height: BigInt(silence.height), round: silence.round, transactionHashes: silence.transactionHashes });
    const outcome = links.send(proposer.publicKey, PEER_CHANNEL.PROPOSER_HINT, body);
    if (outcome === 'SENT') metrics.hintsSent += 1;
    else metrics.hintsIgnored.add(outcome);
  }

  /** A hint from `identity`, addressed to this ledger. */
  receive(identity: PubKey, hint: PeerProposerHint): void {
    const { metrics, fetcher } = this.#options;
    const standing = this.#options.standing(identity);
    if (standing === 'NOT_VALIDATOR' || standing === 'UNKNOWN_KEY') {
      metrics.hintsIgnored.add(standing);
      return;
    }
    if (!this.#options.awaitingTransactionsAt(Number(hint.height))) {
      metrics.hintsIgnored.add('NOT_AWAITING');
      return;
    }
    if (this.#fetching) {
      metrics.hintsIgnored.add('BUSY');
      return;
    }
    // fetchFrom asks for each hash once, however often the hint names it.
    const wanted = hint.transactionHashes.filter((hash) => !this.#options.pooled(hash));
    if (wanted.length === 0) {
      metrics.hintsIgnored.add('NOTHING_MISSING');
      return;
    }
    metrics.hintsFetched += 1;
    this.#fetching = true;
    void fetcher.fetchFrom(identity, wanted).finally(() => {
      this.#fetching = false;
    });
  }
}

/**
 * The PROPOSER_HINT channel's handler: checks size, sender role and envelope, then hands the hint
 * to the ledger's ProposerHints; refusals are counted by reason.
 */
export function routeProposerHint(body: Uint8Array, from: Connection, hints: { get(ledgerHash: string): ProposerHints | undefined }, metrics: ClusterMetrics): void {
  const hint = decodeFromPeer(body, from, PeerProposerHint, MAX_HINT_BYTES, (reason) => metrics.hintsIgnored.add(reason));
  if (hint === undefined) return;
  const ledger = hints.get(hint.ledgerHash.toBase58());
  if (ledger === undefined) {
    metrics.hintsIgnored.add('WRONG_LEDGER');
    return;
  }
  ledger.receive(from.peer.identityKey, hint);
}
