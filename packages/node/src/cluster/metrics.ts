import { CodeCounter, type PrometheusText } from '@jadechain/service';

/** Why an inbound consensus message was dropped before reaching the engine. */
export type ConsensusDropReason =
  /** The sender's identity is not a participant of the ledger (or not a peer at all). */
  | 'UNKNOWN_KEY'
  /** The sender is a participant but not a validator of the current height. */
  | 'NOT_VALIDATOR'
  /** The envelope does not decode. */
  | 'MALFORMED'
  /** The message is larger than MAX_CONSENSUS_MESSAGE_BYTES. */
  | 'OVERSIZED'
  /** The envelope names a ledger this peer does not hold, or one it does not run BFT on. */
  | 'WRONG_LEDGER';

/** Counters of the peer↔peer side: consensus traffic, transaction fetch and block sync. */
export class ClusterMetrics {
  consensusIn = 0;
  consensusOut = 0;
  fetchRequested = 0;
  fetchAdmitted = 0;
  syncedBlocks = 0;
  servedTransactions = 0;
  servedBlocks = 0;
  /** Proposer hints sent to a round's silent proposer, and hints this peer acted on as proposer. */
  hintsSent = 0;
  hintsFetched = 0;
  /** Proposer hints not sent or not acted on, by reason. */
  readonly hintsIgnored = new CodeCounter();
  /** Inbound consensus messages dropped, by reason. */
  readonly consensusDropped = new CodeCounter();
  /** Outbound consensus messages not sent (no connection, queue full), by reason. */
  readonly consensusUnsent = new CodeCounter();
  /** Protocol violations the BFT core reported, by kind (spec/consensus.md §8). */
  readonly misbehaviour = new CodeCounter();
  /** Fetch requests that failed, by transport or admission code. */
  readonly fetchFailures = new CodeCounter();
  /** Blocks offered by block sync and refused, by reason. */
  readonly syncRefused = new CodeCounter();

  drop(reason: ConsensusDropReason): void {
    this.consensusDropped.add(reason);
  }

  renderInto(text: PrometheusText): PrometheusText {
    return text
      .single('jadechain_peer_consensus_messages_in_total', 'counter', 'Consensus messages passed to the engine', this.consensusIn)
      .single('jadechain_peer_consensus_messages_out_total', 'counter', 'Consensus messages sent to other validators', this.consensusOut)
      .byLabel('jadechain_peer_consensus_dropped_total', 'Inbound consensus messages dropped, by reason', 'reason', this.consensusDropped.counts)
      .byLabel('jadechain_peer_consensus_unsent_total', 'Outbound consensus messages not sent, by reason', 'reason', this.consensusUnsent.counts)
      .byLabel('jadechain_peer_consensus_misbehaviour_total', 'Protocol violations reported by the consensus core, by kind', 'kind', this.misbehaviour.counts)
      .single('jadechain_peer_fetch_requested_total', 'counter', 'Transactions asked from other peers for a proposal', this.fetchRequested)
      .single('jadechain_peer_fetch_admitted_total', 'counter', 'Fetched transactions admitted into the mempool', this.fetchAdmitted)
      .byLabel('jadechain_peer_fetch_failures_total', 'Transaction fetches that failed, by code', 'code', this.fetchFailures.counts)
      .single('jadechain_peer_sync_blocks_total', 'counter', 'Blocks committed by block sync', this.syncedBlocks)
      .byLabel('jadechain_peer_sync_refused_total', 'Blocks refused by block sync, by reason', 'reason', this.syncRefused.counts)
      .single('jadechain_peer_served_transactions_total', 'counter', 'Transactions sent to peers that asked for them', this.servedTransactions)
      .single('jadechain_peer_served_blocks_total', 'counter', 'Blocks sent to peers that asked for them', this.servedBlocks)
      .single('jadechain_peer_proposer_hints_sent_total', 'counter', 'Transactions named to a round proposer that had not proposed', this.hintsSent)
      .single('jadechain_peer_proposer_hints_fetched_total', 'counter', 'Proposer hints acted on: named transactions fetched from the hinting peer', this.hintsFetched)
      .byLabel('jadechain_peer_proposer_hints_ignored_total', 'Proposer hints not sent or not acted on, by reason', 'reason', this.hintsIgnored.counts);
  }
}
