export { certificateDefect } from './certificate.js';
export { ClusterError, type ClusterErrorCode } from './errors.js';
export { FETCH_TIMEOUT_MS, TransactionFetcher, type TransactionFetcherOptions } from './fetch.js';
export { FollowerEngine, SilentEngine } from './follower.js';
export { ProposerHints, routeProposerHint, type ProposerHintsOptions } from './hints.js';
export {
  LedgerCluster,
  consensusRoleOf,
  type ClusterParts,
  type ConsensusRole,
  type ConsensusStatus,
  type LedgerClusterOptions,
  type PausableEngine,
} from './ledger-cluster.js';
export { PeerLinks, type PeerLinksOptions } from './links.js';
export { ClusterMetrics, type ConsensusDropReason } from './metrics.js';
export { ConsensusNetwork, routeConsensusMessage, type ConsensusNetworkOptions, type SenderStanding } from './network.js';
export * from './protocol.js';
export { DurableRecordFile, RECORD_FILE_NAMES } from './record-file.js';
export { serveBlockPage, serveBlocks, serveStatus, serveTransactions, type ServedLedger } from './serve.js';
export { BlockSync, FOLLOWER_SYNC_POLL_MS, SYNC_LAG_MS, SYNC_POLL_MS, type BlockSyncOptions, type SyncTarget } from './sync.js';
export { participantIdOf, validatorSetOf } from './validators.js';
