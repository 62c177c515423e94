/**
 * The shapes of the gateway's answers (docs/api.md), as JSON: hashes, public keys and signatures
 * are base58 strings, addresses `{value}`, heights and versions numbers. The main fields are
 * typed; the rest are kept as they came (`unknown`). The client does not check query answers
 * against these types: a value that must be trusted comes with a proof (verifyKvProof).
 */
export interface JsonRecord {
  readonly [field: string]: unknown;
}

export interface AddressJson {
  readonly value: string;
}

export interface LedgerInfo extends JsonRecord {
  readonly hash: string;
  readonly latestBlockHeight: number;
  readonly latestBlockHash: string;
}

export interface BlockJson extends JsonRecord {
  readonly hash: string;
  readonly height: number;
  readonly timestamp: number;
  /** Null in the genesis block. */
  readonly ledgerHash: string | null;
  readonly previousHash: string | null;
  readonly transactionCount: number;
}

export interface ParticipantJson extends JsonRecord {
  readonly id: number;
  readonly name: string;
  readonly address: AddressJson;
  readonly pubKey: string;
  readonly participantNodeState: string;
}

/** A user, data, contract or event account in a list. */
export interface AccountSummary extends JsonRecord {
  readonly address: AddressJson;
  readonly pubKey: string;
}

export interface UserJson extends AccountSummary {
  readonly state: string;
  readonly roles: readonly string[];
  readonly rolesPolicy: string;
}

export interface DataAccountJson extends AccountSummary {
  readonly dataRootHash: string;
  readonly dataset: { readonly dataCount: number; readonly rootHash: string };
}

export interface ContractJson extends AccountSummary {
  readonly chainCodeVersion: number;
  readonly state: string;
  readonly lang: string;
  readonly chainCode: string;
  readonly chainCodeEncoding: 'utf8' | 'base64';
}

export interface EventAccountJson extends AccountSummary {
  readonly topicCount: number;
}

/** A typed value: INT64 and TIMESTAMP are numbers when exact, else decimal strings; BYTES base64; NIL has no value. */
export interface TypedValueJson {
  readonly type: string;
  readonly value?: unknown;
}

/** A KV entry; a missing key or version is `{key, version: -1, type: 'NIL'}`. */
export interface KvEntryJson extends TypedValueJson {
  readonly key: string;
  readonly version: number;
}

export interface EventJson extends JsonRecord {
  readonly name: string;
  readonly sequence: number;
  readonly content: TypedValueJson;
  readonly blockHeight: number;
  readonly transactionSource: string | null;
  readonly eventAccount: AddressJson | null;
}

export interface TransactionResultJson extends JsonRecord {
  readonly transactionHash: string;
  readonly blockHeight: number;
  readonly index: number;
  readonly executionState: string;
}

/** JD Chain's LedgerTransaction: the request as submitted and its result. */
export interface LedgerTransactionJson extends JsonRecord {
  readonly request: JsonRecord & { readonly transactionHash: string };
  readonly result: TransactionResultJson;
}

export interface RolePrivilegesJson extends JsonRecord {
  readonly roleName: string;
  readonly ledgerPrivilege: { readonly privilege: readonly string[] };
  readonly transactionPrivilege: { readonly privilege: readonly string[] };
}

export interface UserPrivilegesJson extends JsonRecord {
  readonly userAddress: AddressJson;
  readonly userRole: readonly string[];
  readonly policy: string;
}
