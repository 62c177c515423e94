import type { Address, HashAlgorithm, HashDigest, PrivKey, PubKey } from '@jadechain/crypto';
import {
  CodecLimits,
  TransactionContent,
  signHash,
  transactionHash,
  type AccountState,
  type AccountType,
  type ConsensusSettings,
  type ContractLanguage,
  type HashingSuite,
  type Operation,
  type ParticipantState,
  type RoleConfiguration,
  type SigningSuite,
  type TransactionRequest,
  type TypedValue,
  type UserAuthorization,
} from '@jadechain/types';
import { SdkError } from './errors.js';

/** Bytes of the random nonce every transaction carries (the codec allows 8 to 32). */
export const NONCE_BYTES = 16;

export interface TransactionBuilderOptions {
  readonly ledgerHash: HashDigest;
  /** The ledger's hash algorithm; by default the ledger hash's own. */
  readonly hashAlgorithm?: HashAlgorithm;
  /** Milliseconds since the epoch; by default the clock at `content()`. */
  readonly timestamp?: bigint;
  /** 8 to 32 bytes; by default 16 random bytes from the platform's CSPRNG. */
  readonly nonce?: Uint8Array;
}

/** Keeps only the members that have a value: optional fields are absent, never `undefined`. */
function present<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function randomNonce(): Uint8Array {
  // globalThis.crypto exists in browsers and in Node ≥ 19, so this stays browser-safe.
  return globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
}

/**
 * Collects operations into one transaction of one ledger and signs it. Each helper appends one
 * operation and returns the builder, so calls chain; the content (timestamp, nonce) is fixed on
 * the first call to `content()`, `hash()` or `sign()`, after which operations cannot be added.
 */
export class TransactionBuilder {
  readonly ledgerHash: HashDigest;
  readonly hashAlgorithm: HashAlgorithm;
  private readonly operations: Operation[] = [];
  private readonly timestamp: bigint | undefined;
  private readonly nonce: Uint8Array | undefined;
  private fixed: TransactionContent | undefined;

  constructor(options: TransactionBuilderOptions) {
    this.ledgerHash = options.ledgerHash;
    this.hashAlgorithm = options.hashAlgorithm ?? options.ledgerHash.algorithm;
    this.timestamp = options.timestamp;
    this.nonce = options.nonce;
  }

  /** Appends any operation, e.g. one decoded from JSON. */
  add(operation: Operation): this {
    if (this.fixed !== undefined) throw new SdkError('BAD_ARGUMENT', 'the transaction content is already fixed');
    if (this.operations.length >= CodecLimits.MAX_OPERATIONS) {
      throw new SdkError('BAD_ARGUMENT', `a transaction holds at most ${CodecLimits.MAX_OPERATIONS} operations`);
    }
    this.operations.push(operation);
    return this;
  }

  registerUser(pubKey: PubKey, certificate?: string): this {
    return this.add({ type: 'UserRegister', address: pubKey.address(), pubKey, ...present({ certificate }) });
  }

  updateUserState(address: Address, state: AccountState): this {
    return this.add({ type: 'UserStateUpdate', address, state });
  }

  updateUserCertificate(address: Address, certificate: string): this {
    return this.add({ type: 'UserCertificateUpdate', address, certificate });
  }

  registerDataAccount(pubKey: PubKey): this {
    return this.add({ type: 'DataAccountRegister', address: pubKey.address(), pubKey });
  }

  /** One KV write; `expectedVersion` is the key's current version, −1 for a new key. */
  setKv(account: Address, key: string, value: TypedValue, expectedVersion = -1n): this {
    return this.add({ type: 'KvSet', account, writes: [{ key, value, expectedVersion }] });
  }

  /** `expectedVersion` −1 for a first deployment, else the deployed version being replaced. */
  deployContract(pubKey: PubKey, code: Uint8Array, language: ContractLanguage, expectedVersion = -1n): this {
    return this.add({ type: 'ContractDeploy', address: pubKey.address(), pubKey, code, expectedVersion, language });
  }

  invokeContract(address: Address, method: string, args: readonly TypedValue[] = [], version?: bigint): this {
    return this.add({ type: 'ContractInvoke', address, method, args, ...present({ version }) });
  }

  updateContractState(address: Address, state: AccountState): this {
    return this.add({ type: 'ContractStateUpdate', address, state });
  }

  registerParticipant(name: string, pubKey: PubKey, certificate?: string): this {
    return this.add({ type: 'ParticipantRegister', name, address: pubKey.address(), pubKey, ...present({ certificate }) });
  }

  updateParticipantState(address: Address, state: ParticipantState): this {
    return this.add({ type: 'ParticipantStateUpdate', address, state });
  }

  configureRoles(roles: readonly RoleConfiguration[]): this {
    return this.add({ type: 'RolesConfigure', roles });
  }

  authorizeUsers(authorizations: readonly UserAuthorization[]): this {
    return this.add({ type: 'UserAuthorize', authorizations });
  }

  registerEventAccount(pubKey: PubKey): this {
    return this.add({ type: 'EventAccountRegister', address: pubKey.address(), pubKey });
  }

  /** One event; `expectedSequence` is the topic's latest sequence, −1 for a new topic. */
  publishEvent(account: Address, topic: string, content: TypedValue, expectedSequence = -1n): this {
    return this.add({ type: 'EventPublish', account, events: [{ topic, content, expectedSequence }] });
  }

  updateConsensusSettings(consensus: ConsensusSettings): this {
    return this.add({ type: 'ConsensusSettingsUpdate', consensus });
  }

  updateHashAlgorithm(algorithm: HashAlgorithm): this {
    return this.add({ type: 'HashAlgorithmUpdate', algorithm });
  }

  /** `owners` and `role`, when absent, stay as they are. */
  setAccountPermission(
    address: Address,
    accountType: AccountType,
    modeBits: number,
    change: { readonly owners?: readonly Address[]; readonly role?: string } = {},
  ): this {
    return this.add({ type: 'AccountPermissionSet', address, accountType, modeBits, ...present({ owners: change.owners, role: change.role }) });
  }

  /** The content to sign; fixed from the first call on. */
  content(): TransactionContent {
    if (this.fixed === undefined) {
      if (this.operations.length === 0) throw new SdkError('BAD_ARGUMENT', 'a transaction needs at least one operation');
      this.fixed = {
        ledgerHash: this.ledgerHash,
        operations: [...this.operations],
        timestamp: this.timestamp ?? BigInt(Date.now()),
        nonce: this.nonce ?? randomNonce(),
      };
    }
    return this.fixed;
  }

  hash(suite: HashingSuite): HashDigest {
    return transactionHash(suite, this.hashAlgorithm, this.content());
  }

  /** The request to submit: the content with one endpoint signature per key over the transaction hash. */
  sign(suite: HashingSuite & SigningSuite, privateKeys: readonly PrivKey[]): TransactionRequest {
    if (privateKeys.length === 0) throw new SdkError('BAD_ARGUMENT', 'at least one key must sign');
    const hash = this.hash(suite);
    return {
      content: this.content(),
      endpointSignatures: privateKeys.map((key) => signHash(suite, key, hash)),
      nodeSignatures: [],
    };
  }
}

/** Adds endpoint signatures to a request signed elsewhere (several users approving one transaction). */
export function addSignatures(
  suite: HashingSuite & SigningSuite,
  hashAlgorithm: HashAlgorithm,
  request: TransactionRequest,
  privateKeys: readonly PrivKey[],
): TransactionRequest {
  const hash = transactionHash(suite, hashAlgorithm, request.content);
  return { ...request, endpointSignatures: [...request.endpointSignatures, ...privateKeys.map((key) => signHash(suite, key, hash))] };
}
