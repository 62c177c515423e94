import { bitset, enumeration } from '../codec/index.js';

/**
 * Enumerations with stable numbers. Each is a frozen table name → number (the number is what the
 * binary encoding carries; the name is what TypeScript values and JSON carry) plus a type of its
 * names. Numbers are JD Chain's where JD Chain defines the enumeration (JDCHAIN-REFERENCE.md §1.4,
 * §2.2, §2.3, §10 and JD Chain's ledger-model sources); JadeChain's additions are marked.
 */

/** Outcome of a transaction (JD Chain TransactionState, §2.2; JadeChain additions in 0x20–0x2F). */
export const TransactionState = Object.freeze({
  SUCCESS: 0x00,
  LEDGER_ERROR: 0x01,
  DATA_ACCOUNT_DOES_NOT_EXIST: 0x02,
  USER_DOES_NOT_EXIST: 0x03,
  CONTRACT_DOES_NOT_EXIST: 0x04,
  DATA_VERSION_CONFLICT: 0x05,
  PARTICIPANT_DOES_NOT_EXIST: 0x06,
  EVENT_ACCOUNT_DOES_NOT_EXIST: 0x07,
  CONTRACT_VERSION_CONFLICT: 0x08,
  ILLEGAL_ACCOUNT_STATE: 0x09,
  CONTRACT_EXECUTE_ERROR: 0x10,
  REJECTED_BY_SECURITY_POLICY: 0x11,
  ACCOUNT_REGISTER_CONFLICT: 0x12,
  ROLE_DOES_NOT_EXIST: 0x13,
  UNSUPPORTED_HASH_ALGORITHM: 0x14,
  CONTRACT_METHOD_NOT_FOUND: 0x15,
  CONTRACT_PARAMETER_ERROR: 0x16,
  /** JadeChain: a transaction with the same hash is already on the ledger. */
  DUPLICATE_TRANSACTION: 0x20,
  /** JadeChain: the timestamp lies outside the settings' window around the block's consensus time. */
  TIMESTAMP_OUT_OF_WINDOW: 0x21,
  /** JadeChain: contract execution is not available (yet) on this ledger. */
  CONTRACT_EXECUTION_UNAVAILABLE: 0x22,
  /** JadeChain: an operation is well-formed but inconsistent (e.g. an address not derived from its key). */
  INVALID_OPERATION: 0x23,
  IGNORED_BY_WRONG_LEDGER: 0x40,
  IGNORED_BY_ILLEGAL_CONTENT_SIGNATURE: 0x41,
  IGNORED_BY_INCONSISTENT_CONTENT_HASH: 0x42,
  IGNORED_BY_TX_FULL_ROLLBACK: 0x43,
  IGNORED_BY_BLOCK_FULL_ROLLBACK: 0x44,
  SYSTEM_ERROR: 0x80,
  TIMEOUT: 0x81,
  CONSENSUS_ERROR: 0x82,
  CONSENSUS_NO_REPLY_ERROR: 0x83,
  CONSENSUS_PROXY_CLIENT_ERROR: 0x84,
  EMPTY_BLOCK_ERROR: 0x85,
  CONSENSUS_TIMESTAMP_ERROR: 0x86,
  LEDGER_HASH_EMPTY: 0xd0,
  ILLEGAL_CONTRACT_CAR: 0xd1,
  ILLEGAL_NODE_SIGNATURE: 0xd2,
  NO_ENDPOINT_SIGNATURE: 0xd3,
  INVALID_ENDPOINT_SIGNATURE: 0xd4,
});
export type TransactionState = keyof typeof TransactionState;

/** Ledger-level permissions (JD Chain LedgerPermission, §10; 0x13 is unused there too). */
export const LedgerPermission = Object.freeze({
  CONFIGURE_ROLES: 0x01,
  AUTHORIZE_USER_ROLES: 0x02,
  SET_CONSENSUS: 0x03,
  SET_CRYPTO: 0x04,
  REGISTER_PARTICIPANT: 0x05,
  REGISTER_USER: 0x06,
  REGISTER_DATA_ACCOUNT: 0x07,
  REGISTER_CONTRACT: 0x08,
  SET_USER_ATTRIBUTES: 0x09,
  WRITE_DATA_ACCOUNT: 0x0a,
  APPROVE_TX: 0x0b,
  CONSENSUS_TX: 0x0c,
  REGISTER_EVENT_ACCOUNT: 0x0d,
  WRITE_EVENT_ACCOUNT: 0x0e,
  UPDATE_USER_STATE: 0x0f,
  UPDATE_ROOT_CA: 0x10,
  UPDATE_USER_CA: 0x11,
  UPDATE_CONTRACT_STATE: 0x12,
  UPGRADE_CONTRACT: 0x14,
});
export type LedgerPermission = keyof typeof LedgerPermission;

/** Transaction-level permissions (JD Chain TransactionPermission, §10). */
export const TransactionPermission = Object.freeze({
  DIRECT_OPERATION: 0x01,
  CONTRACT_OPERATION: 0x02,
});
export type TransactionPermission = keyof typeof TransactionPermission;

/** State of a user or contract account (JD Chain AccountState). */
export const AccountState = Object.freeze({ NORMAL: 0x01, FREEZE: 0x02, REVOKE: 0x03 });
export type AccountState = keyof typeof AccountState;

/** State of a consensus participant (JD Chain ParticipantNodeState, §1.4). */
export const ParticipantState = Object.freeze({ READY: 0x00, CONSENSUS: 0x01, DEACTIVATED: 0x02 });
export type ParticipantState = keyof typeof ParticipantState;

/**
 * Type of a typed value (JD Chain DataType codes: NIL 0x00, BOOLEAN 0x01, INT64 0x14, TIMESTAMP
 * 0x18, TEXT 0x20, JSON 0x21, BYTES 0x40, PUB_KEY 0x45, SIGNATURE_DIGEST 0x46, HASH_DIGEST 0x47).
 * JadeChain supports this subset, under shorter names for the last three.
 */
export const DataType = Object.freeze({
  NIL: 0x00,
  BOOLEAN: 0x01,
  INT64: 0x14,
  TIMESTAMP: 0x18,
  TEXT: 0x20,
  JSON: 0x21,
  BYTES: 0x40,
  PUBKEY: 0x45,
  SIGNATURE: 0x46,
  HASH: 0x47,
});
export type DataType = keyof typeof DataType;

/** How a user's roles combine (JD Chain RolesPolicy, §10). */
export const RolesPolicy = Object.freeze({ UNION: 0x00, INTERSECT: 0x01 });
export type RolesPolicy = keyof typeof RolesPolicy;

/** How identities are established (JD Chain IdentityMode). */
export const IdentityMode = Object.freeze({ KEYPAIR: 0x01, CA: 0x02 });
export type IdentityMode = keyof typeof IdentityMode;

/** Kind of account an account permission applies to (JD Chain AccountType). */
export const AccountType = Object.freeze({ DATA: 0x01, EVENT: 0x02, CONTRACT: 0x03 });
export type AccountType = keyof typeof AccountType;

/** Language of a contract's code (JD Chain ContractLang). */
export const ContractLanguage = Object.freeze({ JAVA: 0x01, JAVASCRIPT: 0x02, PYTHON: 0x03, RUST: 0x04 });
export type ContractLanguage = keyof typeof ContractLanguage;

export const transactionStateCodec = enumeration<TransactionState>('TransactionState', TransactionState);
export const accountStateCodec = enumeration<AccountState>('AccountState', AccountState);
export const participantStateCodec = enumeration<ParticipantState>('ParticipantState', ParticipantState);
export const rolesPolicyCodec = enumeration<RolesPolicy>('RolesPolicy', RolesPolicy);
export const identityModeCodec = enumeration<IdentityMode>('IdentityMode', IdentityMode);
export const accountTypeCodec = enumeration<AccountType>('AccountType', AccountType);
export const contractLanguageCodec = enumeration<ContractLanguage>('ContractLanguage', ContractLanguage);
/** Ledger permissions as a 4-byte mask, bit 2^code per permission. */
export const ledgerPermissionsCodec = bitset<LedgerPermission>('LedgerPermission', LedgerPermission, 4);
/** Transaction permissions as a 1-byte mask, bit 2^code per permission. */
export const transactionPermissionsCodec = bitset<TransactionPermission>('TransactionPermission', TransactionPermission, 1);
