import type { Address } from '@jadechain/crypto';
import type { AccountPermission, ContractAccount } from '@jadechain/types';
import { OperationFailure, requireAccountAccess } from '../ops/context.js';
import type { OperationContext } from '../ops/context.js';
import { requireDataWrite, requireEventWrite } from '../ops/accounts.js';
import { signerOf } from '../security/privileges.js';
import type { AccountView, ContractHost, ContractRefusal, DeployedContract, DerivedOperation, KvEntryView, NestedInvocation } from './port.js';

/** Stored code is UTF-8 checked at deploy; a lenient decoder keeps older code readable, deterministically. */
const codeDecoder = new TextDecoder('utf-8');

/**
 * The ledger as a running contract sees it, over the state of the running transaction. Derived
 * operations are checked with the same rules as direct ones, the acting contract counted among
 * the signers (JD Chain runs derived operations "with the contract's context").
 */
export class LedgerContractHost implements ContractHost {
  readonly signers: readonly Address[];
  readonly blockHeight: bigint;
  private readonly contexts = new Map<string, OperationContext>();

  constructor(private readonly context: OperationContext) {
    this.blockHeight = BigInt(context.height);
    this.signers = distinct(context.endpointSigners.map((signer) => signer.address));
  }

  get transactionHash(): OperationContext['transactionHash'] {
    return this.context.transactionHash;
  }

  get blockTimestamp(): bigint {
    return this.context.blockTimestamp;
  }

  getKv(account: Address, key: string): KvEntryView | undefined {
    const entry = this.context.state.kvEntry(account, key);
    return entry === undefined ? undefined : { version: entry.version, value: entry.value };
  }

  getEventSequence(account: Address, topic: string): bigint {
    return this.context.state.event(account, topic)?.sequence ?? -1n;
  }

  getAccount(address: Address): AccountView | undefined {
    const { state } = this.context;
    const user = state.user(address);
    if (user !== undefined) return { kind: 'USER', address, owners: [], modeBits: 0, state: user.state };
    const data = state.dataAccount(address)?.account;
    if (data !== undefined) return view('DATA', address, data.permission, 'NORMAL');
    const events = state.eventAccount(address)?.account;
    if (events !== undefined) return view('EVENT', address, events.permission, 'NORMAL');
    const contract = state.contract(address)?.value;
    return contract === undefined ? undefined : view('CONTRACT', address, contract.permission, contract.state);
  }

  getContract(address: Address): DeployedContract | undefined {
    const contract = this.context.state.contract(address)?.value;
    if (contract === undefined) return undefined;
    const code = this.context.state.code(contract.codeHash.toBytes());
    if (code === undefined) return undefined;
    return { address, version: contract.version, codeHash: contract.codeHash, code: codeDecoder.decode(code) };
  }

  authorize(operation: DerivedOperation | NestedInvocation): ContractRefusal | undefined {
    try {
      if (operation.type === 'KvSet') requireDataWrite(operation.account, this.actingAs(operation.contract));
      else if (operation.type === 'EventPublish') requireEventWrite(operation.account, this.actingAs(operation.contract));
      else requireInvocable(operation.address, this.actingAs(operation.caller));
      return undefined;
    } catch (error) {
      if (error instanceof OperationFailure) return { code: error.state, message: error.message };
      throw error;
    }
  }

  /** The operation context of derived operations performed by `contract`. */
  actingAs(contract: Address): OperationContext {
    const key = contract.toBase58();
    let derived = this.contexts.get(key);
    if (derived === undefined) {
      const account = this.context.state.contract(contract)?.value;
      if (account === undefined) throw new OperationFailure('CONTRACT_DOES_NOT_EXIST', `no contract ${key}`);
      derived = {
        ...this.context,
        endpointSigners: [...this.context.endpointSigners, signerOf(this.context.state, contract, account.pubKey)],
        contractSource: contract,
      };
      this.contexts.set(key, derived);
    }
    return derived;
  }
}

/** A contract that exists, is NORMAL, and whose x bit admits one of the context's signers. */
export function requireInvocable(address: Address, context: OperationContext): ContractAccount {
  const contract = context.state.contract(address)?.value;
  if (contract === undefined) throw new OperationFailure('CONTRACT_DOES_NOT_EXIST', `no contract ${address.toBase58()}`);
  if (contract.state !== 'NORMAL') throw new OperationFailure('ILLEGAL_ACCOUNT_STATE', `contract ${address.toBase58()} is ${contract.state}`);
  requireAccountAccess(context, contract.permission, 'execute', 'contract', address);
  return contract;
}

function view(kind: AccountView['kind'], address: Address, permission: AccountPermission, state: AccountView['state']): AccountView {
  return { kind, address, owners: permission.owners, modeBits: permission.modeBits, state };
}

function distinct(addresses: readonly Address[]): Address[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toBase58();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
