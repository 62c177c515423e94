export { EngineError, Listeners, digestKey } from './engine.js';
export type {
  BatchLimits,
  BlockView,
  CommitSigner,
  CommittedBlock,
  CommittedSummary,
  ConsensusEngine,
  EngineErrorCode,
  EngineState,
  EngineStatus,
  ExecutedBlock,
  ExecutionBatch,
  LedgerPort,
  PooledTransaction,
  RejectedTransaction,
  TransactionSource,
} from './engine.js';
export { SingleNodeEngine } from './single/engine.js';
export type { SingleNodeOptions } from './single/engine.js';
export { SINGLE_NODE_ROUND, selfCertificate } from './single/certificate.js';
export * from './bft/index.js';
