export { BftCore } from './core.js';
export { BftConsensusEngine } from './engine.js';
export type { BftEngineOptions, BftNetwork, BftRecordFile } from './engine.js';
export { BftDriver, MAX_HINTED_TRANSACTIONS } from './driver.js';
export type { BftClock, BftDriverHost, BftLedgerHost, BftMempool, BftRecordStore, BftTransport, CommitRequest, ExecuteRequest, ProposerSilence } from './driver.js';
export { BftError } from './errors.js';
export type { BftErrorCode } from './errors.js';
export { hashKey, suiteCrypto } from './crypto.js';
export type { BftCrypto } from './crypto.js';
export { DEFAULT_TIMEOUTS } from './io.js';
export type {
  BftConfig,
  BftInput,
  BftOutput,
  BftTimeouts,
  ChainTip,
  ExecutionOutcome,
  Misbehaviour,
  MisbehaviourKind,
  TimerKey,
  TimerStep,
} from './io.js';
export {
  BFT_SIGNATURE_DOMAIN_TEXT,
  BlockValue,
  ConsensusMessage,
  Decision,
  MAX_BATCH_TRANSACTIONS,
  PrecommitContent,
  PrevoteContent,
  ProposalContent,
  SignedPrecommit,
  SignedPrevote,
  SignedProposal,
  precommitSignedBytes,
  prevoteSignedBytes,
  proposalSignedBytes,
} from './messages.js';
export { SafetyRecord, Step } from './record.js';
export { blockTimestamp, precommitTimestamp } from './timestamps.js';
export { ValidatorSet } from './validators.js';
export type { Validator } from './validators.js';
export { verifyPrecommit } from './signing.js';
