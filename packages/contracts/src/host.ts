/**
 * The host interface is the ledger's port (`@jadechain/ledger`, ADR 0011): the runtime speaks
 * it, the ledger implements it over the running transaction's state.
 */
export type {
  AccountView,
  ContractAccountKind as AccountKind,
  ContractHost,
  ContractRefusal,
  DeployedContract,
  DerivedEventPublish,
  DerivedKvWrite,
  DerivedOperation,
  KvEntryView,
  NestedInvocation,
} from '@jadechain/ledger';
