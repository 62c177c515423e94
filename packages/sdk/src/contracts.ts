import type { Address, HashDigest, PrivKey, PubKey } from '@jadechain/crypto';
import { fromBase64 } from '@jadechain/types';
import type { AccountState, HashingSuite, SigningSuite, TypedValue } from '@jadechain/types';
import { TransactionBuilder } from './builder.js';
import type { GatewayClient, SubmitAndWaitOptions, SubmitResult } from './client.js';
import { isObject } from './http.js';
import type { ContractJson, TypedValueJson } from './responses.js';

/** A contract's own failure as the ledger recorded it: its code, message and stack. */
export interface ContractFailure {
  readonly code: string;
  readonly message: string;
  readonly stack: string;
}

/** A committed invocation. */
export interface ContractInvocation {
  readonly transactionHash: string;
  readonly blockHeight: number;
  readonly state: string;
  /** The return value in the query API's form (null when the transaction failed). */
  readonly returned: TypedValueJson | null;
  /** The return value as plain JavaScript: INT64 → bigint, JSON parsed, BYTES → Uint8Array. */
  readonly value: unknown;
  /** Gas used by the invocation (0 when no contract ran, e.g. a refused permission). */
  readonly gasUsed: bigint;
  readonly failure: ContractFailure | null;
}

/**
 * A contract transaction that did not succeed. `state` is the ledger's TransactionState;
 * `failure` the contract's own error when the contract ran and failed.
 */
export class ContractCallError extends Error {
  readonly code = 'CONTRACT_FAILED';
  constructor(
    readonly state: string,
    readonly failure: ContractFailure | null,
    readonly transactionHash: string,
  ) {
    super(failure === null ? `the contract transaction failed with ${state}` : `${state}: ${failure.code}: ${failure.message}`);
    this.name = 'ContractCallError';
  }
}

export interface ContractsClientOptions {
  readonly gateway: GatewayClient;
  readonly ledgerHash: HashDigest;
  readonly suite: HashingSuite & SigningSuite;
  /** The users signing every transaction. */
  readonly signers: readonly PrivKey[];
  readonly wait?: SubmitAndWaitOptions;
}

/**
 * Deploys, upgrades, invokes and freezes contracts through a gateway: each call is one signed
 * transaction, submitted and waited for; results are read back from the recorded transaction.
 */
export class ContractsClient {
  constructor(private readonly options: ContractsClientOptions) {}

  /** Deploys code under the contract key's address (version 0); resolves to the address. */
  async deploy(contractKey: PubKey, code: Uint8Array | string): Promise<Address> {
    await this.expectSuccess(this.builder().deployContract(contractKey, bytesOf(code), 'JAVASCRIPT'));
    return contractKey.address();
  }

  /** Deploys a new version over the current one (read from the ledger unless given); resolves to it. */
  async upgrade(contractKey: PubKey, code: Uint8Array | string, currentVersion?: bigint): Promise<bigint> {
    const current = currentVersion ?? BigInt((await this.show(contractKey.address())).chainCodeVersion);
    await this.expectSuccess(this.builder().deployContract(contractKey, bytesOf(code), 'JAVASCRIPT', current));
    return current + 1n;
  }

  /** Runs `method`; ContractCallError (with the contract's message and stack) unless it succeeds. */
  async invoke(address: Address, method: string, args: readonly TypedValue[] = [], version?: bigint): Promise<ContractInvocation> {
    const submitted = await this.submit(this.builder().invokeContract(address, method, args, version));
    const invocation = await this.invocationOf(submitted);
    if (invocation.state !== 'SUCCESS') throw new ContractCallError(invocation.state, invocation.failure, invocation.transactionHash);
    return invocation;
  }

  /** NORMAL, FREEZE or REVOKE (revoking is final). */
  async setState(address: Address, state: AccountState): Promise<void> {
    await this.expectSuccess(this.builder().updateContractState(address, state));
  }

  /** The contract (latest version unless `version`), its source as text. */
  show(address: Address, version?: number): Promise<ContractJson> {
    return this.options.gateway.contract(this.options.ledgerHash, address, version === undefined ? {} : { version });
  }

  private builder(): TransactionBuilder {
    return new TransactionBuilder({ ledgerHash: this.options.ledgerHash });
  }

  private submit(builder: TransactionBuilder): Promise<SubmitResult> {
    const { gateway, suite, signers, wait } = this.options;
    return gateway.submitAndWait(builder.sign(suite, signers), wait);
  }

  private async expectSuccess(builder: TransactionBuilder): Promise<void> {
    const submitted = await this.submit(builder);
    if (submitted.state !== 'SUCCESS') throw new ContractCallError(submitted.state, null, submitted.transactionHash);
  }

  private async invocationOf(submitted: SubmitResult): Promise<ContractInvocation> {
    const recorded = await this.options.gateway.transaction(this.options.ledgerHash, submitted.transactionHash);
    const result = recorded.result;
    const first = Array.isArray(result['operationResults']) ? result['operationResults'][0] : undefined;
    const returned = isObject(first) && isObject(first['result']) ? (first['result'] as unknown as TypedValueJson) : null;
    const receipt = isObject(result['contractReceipt']) ? result['contractReceipt'] : undefined;
    const invocations = receipt !== undefined && Array.isArray(receipt['invocations']) ? receipt['invocations'] : [];
    const invocation: unknown = invocations[0];
    const failure = isObject(invocation) && isObject(invocation['error']) ? failureOf(invocation['error']) : null;
    return {
      transactionHash: submitted.transactionHash,
      blockHeight: submitted.blockHeight,
      state: submitted.state,
      returned,
      value: returned === null ? undefined : plainValue(returned),
      gasUsed: isObject(invocation) ? BigInt(String(invocation['gasUsed'] ?? 0)) : 0n,
      failure,
    };
  }
}

function bytesOf(code: Uint8Array | string): Uint8Array {
  return typeof code === 'string' ? new TextEncoder().encode(code) : code;
}

function failureOf(error: Readonly<Record<string, unknown>>): ContractFailure {
  return { code: String(error['code'] ?? ''), message: String(error['message'] ?? ''), stack: String(error['stack'] ?? '') };
}

/** A typed value of the query API as plain JavaScript (keys, hashes and signatures stay base58 text). */
export function plainValue(json: TypedValueJson): unknown {
  switch (json.type) {
    case 'NIL':
      return null;
    case 'INT64':
    case 'TIMESTAMP':
      return BigInt(String(json.value));
    case 'BYTES':
      return fromBase64(String(json.value));
    case 'JSON':
      return JSON.parse(String(json.value)) as unknown;
    default:
      return json.value;
  }
}
