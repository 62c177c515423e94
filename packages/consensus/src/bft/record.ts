import { CodecLimits, enumeration, hashDigest, list, optional, record, u32, uint64 } from '@jadechain/types';
import type { Infer } from '@jadechain/types';
import { BlockValue, Decision, SignedPrecommit, SignedPrevote, SignedProposal } from './messages.js';

/** The steps of a round, in order. */
export const Step = enumeration('BftStep', { PROPOSE: 0, PREVOTE: 1, PRECOMMIT: 2 });
export type Step = Infer<typeof Step>;

const MAX_OWN_MESSAGES = 1 << 16;
const MAX_PENDING_DECISIONS = 1024;

/**
 * The write-ahead record (spec/consensus.md §6): everything a node must remember to never sign
 * two different messages for one height, round and step, and to finish what it decided. The
 * core emits a complete record before any newly signed message may leave the node; the host
 * keeps the latest one durably and hands it back on restart.
 */
export const SafetyRecord = record('BftSafetyRecord', 0x015f, {
  ledgerHash: hashDigest,
  /** The height being decided. */
  height: uint64,
  round: u32,
  step: Step,
  lockedRound: optional(u32),
  lockedBlock: optional(hashDigest),
  validRound: optional(u32),
  validBlock: optional(hashDigest),
  /** The values of the locked and valid blocks, so they can be re-executed and re-proposed. */
  values: list(BlockValue, { max: 2 }),
  /** The prevotes of `validRound` for `validBlock`, which a re-proposal carries. */
  validPolka: list(SignedPrevote, { max: CodecLimits.MAX_PARTICIPANTS }),
  /** Every proposal, prevote and precommit this node signed at `height`. */
  proposals: list(SignedProposal, { max: MAX_OWN_MESSAGES }),
  prevotes: list(SignedPrevote, { max: MAX_OWN_MESSAGES }),
  precommits: list(SignedPrecommit, { max: MAX_OWN_MESSAGES }),
  /** Decided heights below `height` whose commit the host has not yet acknowledged, and the newest decision, ascending. */
  decisions: list(Decision, { max: MAX_PENDING_DECISIONS }),
  /** Precommits for the parent of `height` (the time evidence of the next block), own one included. */
  parentEvidence: list(SignedPrecommit, { max: CodecLimits.MAX_PARTICIPANTS }),
});
export type SafetyRecord = Infer<typeof SafetyRecord>;
