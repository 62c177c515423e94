export { ConfigError, NodeError, type NodeErrorCode } from './errors.js';
export { ConfigObject, host, readConfigFile } from './config-fields.js';
export {
  loadIdentityKey,
  prepareIdentity,
  readIdentityConfig,
  readTransportKeyConfig,
  type IdentityConfig,
  type NodeIdentity,
  type PasswordSource,
  type TransportKeyConfig,
} from './identity.js';
export {
  CHANNEL,
  MAX_BATCH_TRANSACTIONS,
  MAX_SUBMIT_BATCH_BYTES,
  QueryRequest,
  QueryResponse,
  ResultNotice,
  SUBMIT_DOMAIN_TEXT,
  SubmitAck,
  SubmitBatch,
  SubmitContent,
  SubmitVerdict,
  TransactionDropped,
  TransactionOutcome,
  decodeMessage,
  signSubmitBatch,
  submitMessage,
  verifySubmitBatch,
  type SubmitStatus,
} from './protocol.js';
export { jsonLogger, type Logger } from './logger.js';
export { CodeCounter, PrometheusText } from './prometheus.js';
export { EXIT, configArgument, runUntilSignalled } from './main.js';
