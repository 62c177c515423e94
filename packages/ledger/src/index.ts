export { LedgerError } from './errors.js';
export type { LedgerErrorCode } from './errors.js';
export { Ledger } from './ledger.js';
export type { LedgerOptions } from './ledger.js';
export { LedgerView } from './exec/view.js';
export type { LedgerContext } from './exec/view.js';
export { execute } from './exec/execute.js';
export type { Batch, ExecutionResult, RejectedTransaction } from './exec/execute.js';
export { WriteSet } from './exec/write-set.js';
export { checkTransaction, decodeTransaction, uncachedSignatures } from './exec/validate.js';
export type { AcceptedTransaction, CheckCode, CheckOptions, DecodedTransaction, TransactionCheck } from './exec/validate.js';
export { SignatureCache, DEFAULT_SIGNATURE_CACHE_CAPACITY } from './exec/signature-cache.js';
export type { SignatureTask, SignatureVerifier } from './exec/signature-cache.js';
export { createInitProposal, signInitProposal, combineInit } from './genesis/proposal.js';
export type { InitProposalParams } from './genesis/proposal.js';
export type { GenesisBlock } from './genesis/build.js';
export { LedgerState } from './state/records.js';
export { DEFAULT_ROLE, DEFAULT_MODE_BITS, CONTRACT_MODE_FLAG } from './security/privileges.js';
export * from './merkle/index.js';
export type { BlockRecord, Totals } from './exec/block-record.js';
export { MAX_PAGE, blockAt, blockHeightOf, certificateAt, transactionAt, transactionByHash, transactionsOfBlock } from './query/blocks.js';
export type { LedgerTransaction } from './query/blocks.js';
export { accountAddresses, accountCount, contractAtVersion, eventTopics, events, kvEntries } from './query/accounts.js';
export type { AccountKind } from './query/accounts.js';
export { proveAccount, proveKvEntry, proveTransaction, verifyKvEntryProof } from './query/proofs.js';
export type { KvEntryProof, RecordProof, TransactionProof } from './query/proofs.js';
export { decodeContainer } from './state/container.js';
export type { ContainerRecord } from './state/container.js';
export type {
  AccountView,
  ContractAccountKind,
  ContractCall,
  ContractCodeCheck,
  ContractExecution,
  ContractExecutor,
  ContractFailure,
  ContractHost,
  ContractRefusal,
  DeployedContract,
  DerivedEventPublish,
  DerivedKvWrite,
  DerivedOperation,
  KvEntryView,
  NestedInvocation,
} from './contracts/port.js';
export { ContractReceipt, decodeReceipt } from './contracts/receipt.js';
export type { InvocationReceipt } from './contracts/receipt.js';
