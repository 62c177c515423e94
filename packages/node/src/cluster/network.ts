import { Listeners, type BftNetwork, type ValidatorSet } from '@jadechain/consensus';
import type { HashDigest, PubKey } from '@jadechain/crypto';
import type { Connection } from '@jadechain/p2p';
import { decodeFromPeer } from './inbound.js';
import type { ClusterMetrics } from './metrics.js';
import type { PeerLinks } from './links.js';
import { MAX_CONSENSUS_MESSAGE_BYTES, PEER_CHANNEL, PeerConsensusMessage } from './protocol.js';

/** Bytes of the envelope around a consensus message: type code, version, ledger hash, length. */
const ENVELOPE_BYTES = 128;

/** Who a sender is in a ledger: a validator (by id), a participant that does not vote now, or nobody. */
export type SenderStanding = { readonly validator: number } | 'NOT_VALIDATOR' | 'UNKNOWN_KEY';

export interface ConsensusNetworkOptions {
  readonly ledgerHash: HashDigest;
  readonly links: PeerLinks;
  readonly metrics: ClusterMetrics;
  /** This node's validator id (never sent to). */
  readonly self: number;
  /** The validators of the height being decided (read at every send, so membership changes apply). */
  readonly validators: () => ValidatorSet;
  /** The standing of an identity in the ledger's committed state. */
  readonly standing: (identity: PubKey) => SenderStanding;
}

/**
 * One ledger's consensus traffic over the peer links (BftNetwork): outbound messages are wrapped
 * with the ledger hash and sent to the validator's identity; inbound ones reach the engine under
 * the validator id the sender's authenticated identity has in the ledger. Nothing is queued here:
 * a message that cannot be sent is counted and left to the core's retransmission.
 */
export class ConsensusNetwork implements BftNetwork {
  readonly #options: ConsensusNetworkOptions;
  readonly #listeners = new Listeners<{ readonly from: number; readonly bytes: Uint8Array }>();

  constructor(options: ConsensusNetworkOptions) {
    this.#options = options;
  }

  get ledgerHash(): HashDigest {
    return this.#options.ledgerHash;
  }

  send(to: number, bytes: Uint8Array): void {
    const validator = this.#options.validators().get(to);
    if (validator === undefined) {
      this.#options.metrics.consensusUnsent.add('NOT_VALIDATOR');
      return;
    }
    this.#sendTo(validator.publicKey, this.#wrap(bytes));
  }

  broadcast(bytes: Uint8Array): void {
    const body = this.#wrap(bytes);
    for (const validator of this.#options.validators().members) if (validator.id !== this.#options.self) this.#sendTo(validator.publicKey, body);
  }

  onMessage(listener: (from: number, bytes: Uint8Array) => void): () => void {
    return this.#listeners.add(({ from, bytes }) => listener(from, bytes));
  }

  /** An inbound message whose envelope named this ledger. */
  receive(identity: PubKey, bytes: Uint8Array): void {
    const { metrics } = this.#options;
    const standing = this.#options.standing(identity);
    if (standing === 'NOT_VALIDATOR' || standing === 'UNKNOWN_KEY') {
      metrics.drop(standing);
      return;
    }
    metrics.consensusIn += 1;
    this.#listeners.emit({ from: standing.validator, bytes });
  }

  #wrap(bytes: Uint8Array): Uint8Array {
    return PeerConsensusMessage.encode({ ledgerHash: this.#options.ledgerHash, message: bytes });
  }

  #sendTo(identity: PubKey, body: Uint8Array): void {
    const outcome = this.#options.links.send(identity, PEER_CHANNEL.CONSENSUS, body);
    if (outcome === 'SENT') this.#options.metrics.consensusOut += 1;
    else this.#options.metrics.consensusUnsent.add(outcome);
  }
}

/**
 * The CONSENSUS channel's handler: checks size, sender role and envelope, then hands the message
 * to the ledger's network. Each refusal is counted by reason; the core itself drops (and
 * reports) bad signatures and messages of stale or future rounds.
 */
export function routeConsensusMessage(body: Uint8Array, from: Connection, networks: { get(ledgerHash: string): ConsensusNetwork | undefined }, metrics: ClusterMetrics): void {
  const envelope = decodeFromPeer(body, from, PeerConsensusMessage, MAX_CONSENSUS_MESSAGE_BYTES + ENVELOPE_BYTES, (reason) => metrics.drop(reason));
  if (envelope === undefined) return;
  const network = networks.get(envelope.ledgerHash.toBase58());
  if (network === undefined) {
    metrics.drop('WRONG_LEDGER');
    return;
  }
  network.receive(from.peer.identityKey, envelope.message);
}
