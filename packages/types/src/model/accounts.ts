import { address, hashDigest, int64Range, optional, pubKey, record, set, text, u32, uint64 } from '../codec/index.js';
import type { Infer } from '../codec/index.js';
import {
  accountStateCodec,
  contractLanguageCodec,
  ledgerPermissionsCodec,
  participantStateCodec,
  rolesPolicyCodec,
  transactionPermissionsCodec,
} from './enums.js';
import { CodecLimits } from './limits.js';
import { AccountPermission, Certificate, RoleName, TypedValue } from './values.js';

/**
 * The ledger's state records: participants, users, roles and their assignment to users, data,
 * event and contract accounts, KV entries and events. Type codes reuse JD Chain's DataCodes for
 * the corresponding structure where one exists (spec/encoding.md lists them).
 */

/** A consensus node (JD Chain ParticipantNode). Participants are consensus nodes only. */
export const Participant = record('Participant', 0x0621, {
  id: u32,
  name: text({ min: 1, max: CodecLimits.MAX_NAME_BYTES }),
  address,
  pubKey,
  state: participantStateCodec,
});
export type Participant = Infer<typeof Participant>;

/** A user account (JD Chain UserAccountHeader); `certificate` in CA identity mode. */
export const UserAccount = record('UserAccount', 0x0800, {
  address,
  pubKey,
  state: accountStateCodec,
  certificate: optional(Certificate),
});
export type UserAccount = Infer<typeof UserAccount>;

/** A role and the permissions it grants (JD Chain RolePrivilege). */
export const RolePrivileges = record('RolePrivileges', 0x0410, {
  name: RoleName,
  ledgerPermissions: ledgerPermissionsCodec,
  transactionPermissions: transactionPermissionsCodec,
});
export type RolePrivileges = Infer<typeof RolePrivileges>;

/** The roles given to a user and how they combine (JD Chain RoleSet). */
export const UserRoles = record('UserRoles', 0x0411, {
  userAddress: address,
  policy: rolesPolicyCodec,
  roles: set(RoleName, { max: CodecLimits.MAX_ROLES }),
});
export type UserRoles = Infer<typeof UserRoles>;

/** A data account: its identity and permission; its KV entries are KvEntry records. */
export const DataAccount = record('DataAccount', 0x0710, { address, pubKey, permission: AccountPermission });
export type DataAccount = Infer<typeof DataAccount>;

/** An event account: its identity and permission; its events are Event records. */
export const EventAccount = record('EventAccount', 0x0711, { address, pubKey, permission: AccountPermission });
export type EventAccount = Infer<typeof EventAccount>;

/** A contract account at one version; the code itself is stored under `codeHash`. */
export const ContractAccount = record('ContractAccount', 0x0a00, {
  address,
  pubKey,
  codeHash: hashDigest,
  version: int64Range(0n),
  state: accountStateCodec,
  language: contractLanguageCodec,
  permission: AccountPermission,
});
export type ContractAccount = Infer<typeof ContractAccount>;

/** KV key: UTF-8 text, 1 to 1024 bytes. */
export const KvKey = text({ min: 1, max: CodecLimits.MAX_KEY_BYTES });

/** One version of a KV entry; `version` −1 with a NIL value stands for "no such key". */
export const KvEntry = record('KvEntry', 0x0900, {
  key: KvKey,
  version: int64Range(-1n),
  value: TypedValue,
});
export type KvEntry = Infer<typeof KvEntry>;

/** Event topic: UTF-8 text, 1 to 256 bytes. */
export const EventTopic = text({ min: 1, max: CodecLimits.MAX_TOPIC_BYTES });

/** A published event: `sequence` counts from 0 per topic of an event account. */
export const Event = record('Event', 0x0712, {
  eventAccount: address,
  topic: EventTopic,
  sequence: int64Range(0n),
  content: TypedValue,
  transactionHash: hashDigest,
  blockHeight: uint64,
  contractSource: optional(address),
});
export type Event = Infer<typeof Event>;
