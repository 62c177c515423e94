import type { HashDigest } from '@jadechain/crypto';
import type { BlockValue, SignedPrecommit, SignedPrevote, SignedProposal } from './messages.js';
import type { Step } from './record.js';
import { RoundTallies } from './votes.js';

/** The block a height builds on: decided, possibly not yet committed. */
export interface ParentBlock {
  readonly height: number;
  readonly blockHash: HashDigest;
  readonly key: string;
  readonly timestamp: bigint;
}

export type Execution =
  | { readonly state: 'pending'; readonly value: BlockValue }
  | { readonly state: 'valid'; readonly value: BlockValue; readonly blockKey: string; readonly blockHash: HashDigest }
  | { readonly state: 'invalid'; readonly value: BlockValue; readonly reason: string };

export interface ReceivedProposal {
  readonly proposal: SignedProposal;
  readonly digestKey: string;
  /** Why the proposal itself (not its value) is invalid: a valid round not below its round. */
  readonly defect?: string;
}

/** A message this node signed, with the record that makes it durable. */
export interface OwnMessage<M> {
  readonly message: M;
  readonly recordedIn: number;
}

/**
 * Everything a node knows about the height it is deciding: Tendermint's round variables, the
 * values it executed (by the block they give), the proposals and votes of every round, and the
 * bookkeeping that makes each "upon" rule fire at most once per round.
 */
export class HeightState {
  round = 0;
  step: Step = 'PROPOSE';
  lockedRound = -1;
  lockedBlock: string | undefined;
  validRound = -1;
  validBlock: string | undefined;
  /** Timers and proposals run only when there is work: transactions, a proposal, or peers busy at this height. */
  active = false;
  decided = false;
  /**
   * Why this height is closed to the core, if it is: the parent block changes the validator set
   * (`reconfiguration`: the host restarts consensus with the new set once the parent is durable),
   * or restarted replays must first tell whether it does (`replay`). A closed height signs
   * nothing, counts nothing and runs no timers; it still serves and gathers the parent's decision.
   */
  closed: 'replay' | 'reconfiguration' | undefined;

  /** Executions by value digest, and the valid ones by the block they execute to. */
  readonly executions = new Map<string, Execution>();
  readonly values = new Map<string, { readonly value: BlockValue; readonly blockHash: HashDigest; readonly changesValidators: boolean }>();
  readonly proposals = new Map<number, ReceivedProposal[]>();
  readonly prevotes = new RoundTallies<SignedPrevote>();
  readonly precommits = new RoundTallies<SignedPrecommit>();
  readonly ownProposals = new Map<number, OwnMessage<SignedProposal>>();
  readonly ownPrevotes = new Map<number, OwnMessage<SignedPrevote>>();
  readonly ownPrecommits = new Map<number, OwnMessage<SignedPrecommit>>();
  /** Quorums of precommits received whole in decisions, by block (they count even where this node saw another vote of an equivocator first). */
  readonly certificates = new Map<string, { readonly round: number; readonly precommits: readonly SignedPrecommit[] }>();
  /** Rounds and blocks (`round/blockKey`) a re-proposal proved a quorum of prevotes for. */
  readonly polkas = new Set<string>();
  /** Precommits for the parent block by voter: the evidence for this height's timestamp. */
  readonly parentEvidence = new Map<number, SignedPrecommit>();

  /** Rounds in which the prevote / precommit timeout was started, or the polka rule applied. */
  readonly prevoteTimerRounds = new Set<number>();
  readonly precommitTimerRounds = new Set<number>();
  readonly polkaRounds = new Set<number>();
  /** The round for which a batch was requested (the leader waits for the mempool's answer). */
  batchRequestedFor = -1;
  /** Highest round each validator was seen in at this height (for the round-skip rule). */
  readonly highestRound = new Map<number, number>();
  /** Validators heard from at this height or above (f+1 of them activate an idle node). */
  readonly heard = new Set<number>();
  /** Peers known to have decided this height: whom to ask for the decision. */
  readonly peersAhead = new Set<number>();
  /** Blocks with a quorum of precommits whose value this node lacks (asked for). */
  readonly missingValues = new Set<string>();
  /** Whether the retransmit timer runs (while active, or while something must be fetched). */
  retransmitArmed = false;
  /** Round and step when the retransmit timer was armed: if they moved on since, nothing is stuck. */
  retransmitMark = '';

  constructor(
    readonly height: number,
    readonly parent: ParentBlock,
  ) {}

  proposalsAt(round: number): ReceivedProposal[] {
    let list = this.proposals.get(round);
    if (list === undefined) {
      list = [];
      this.proposals.set(round, list);
    }
    return list;
  }
}
