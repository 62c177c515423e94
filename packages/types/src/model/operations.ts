import {
  address,
  bytes,
  hashAlgorithm,
  int64Range,
  list,
  optional,
  pubKey,
  set,
  struct,
  text,
  uint,
  union,
} from '../codec/index.js';
import type { Infer } from '../codec/index.js';
import {
  accountStateCodec,
  accountTypeCodec,
  contractLanguageCodec,
  ledgerPermissionsCodec,
  participantStateCodec,
  rolesPolicyCodec,
  transactionPermissionsCodec,
} from './enums.js';
import { CodecLimits } from './limits.js';
import { EventTopic, KvKey } from './accounts.js';
import { ConsensusSettings } from './settings.js';
import { Certificate, RoleName, TypedValue } from './values.js';

/** A version a write expects to replace: −1 when the key (or topic) must not exist yet. */
const expectedVersion = int64Range(-1n);

/** One KV write: the key, the new value, and the key's current version (−1 for a new key). */
export const KvWrite = struct({ key: KvKey, value: TypedValue, expectedVersion });
export type KvWrite = Infer<typeof KvWrite>;

/** One event to publish: the topic's current sequence (−1 for a new topic) is expected. */
export const EventWrite = struct({ topic: EventTopic, content: TypedValue, expectedSequence: expectedVersion });
export type EventWrite = Infer<typeof EventWrite>;

/** Permissions to grant to and take from one role (JD Chain RolePrivilegeEntry). */
export const RoleConfiguration = struct({
  name: RoleName,
  enableLedgerPermissions: ledgerPermissionsCodec,
  disableLedgerPermissions: ledgerPermissionsCodec,
  enableTransactionPermissions: transactionPermissionsCodec,
  disableTransactionPermissions: transactionPermissionsCodec,
});
export type RoleConfiguration = Infer<typeof RoleConfiguration>;

/** Roles to give to and take from some users, and their policy (JD Chain UserRolesEntry). */
export const UserAuthorization = struct({
  userAddresses: set(address, { min: 1, max: CodecLimits.MAX_USERS }),
  policy: rolesPolicyCodec,
  authorizeRoles: set(RoleName, { max: CodecLimits.MAX_ROLES }),
  unauthorizeRoles: set(RoleName, { max: CodecLimits.MAX_ROLES }),
});
export type UserAuthorization = Infer<typeof UserAuthorization>;

const accountIdentity = { address, pubKey } as const;

/**
 * The operations a transaction carries: a union tagged with a 2-byte type code (JD Chain's code
 * where the operation exists there, JDCHAIN-REFERENCE.md §3) followed by the layout version, so
 * each operation is encoded like a record. JSON: `{"type": "<name>", ...fields}`.
 */
export const Operation = union(
  'Operation',
  { tagBytes: 2, versioned: true },
  {
    UserRegister: { code: 0x0310, fields: { ...accountIdentity, certificate: optional(Certificate) } },
    UserStateUpdate: { code: 0x0313, fields: { address, state: accountStateCodec } },
    UserCertificateUpdate: { code: 0x0315, fields: { address, certificate: Certificate } },
    ContractStateUpdate: { code: 0x0316, fields: { address, state: accountStateCodec } },
    DataAccountRegister: { code: 0x0320, fields: accountIdentity },
    KvSet: {
      code: 0x0321,
      fields: { account: address, writes: list(KvWrite, { min: 1, max: CodecLimits.MAX_WRITES_PER_OPERATION }) },
    },
    /** `expectedVersion` −1 for a first deployment, else the deployed version being replaced. */
    ContractDeploy: {
      code: 0x0330,
      fields: {
        ...accountIdentity,
        code: bytes(1, CodecLimits.MAX_CODE_BYTES),
        expectedVersion,
        language: contractLanguageCodec,
      },
    },
    /** `version`, when present, is the contract version the caller expects to run. */
    ContractInvoke: {
      code: 0x0340,
      fields: {
        address,
        method: text({ min: 1, max: CodecLimits.MAX_METHOD_BYTES }),
        args: list(TypedValue, { max: CodecLimits.MAX_ARGUMENTS }),
        version: optional(int64Range(0n)),
      },
    },
    ParticipantRegister: {
      code: 0x0350,
      fields: { name: text({ min: 1, max: CodecLimits.MAX_NAME_BYTES }), ...accountIdentity, certificate: optional(Certificate) },
    },
    ParticipantStateUpdate: { code: 0x0351, fields: { address, state: participantStateCodec } },
    RolesConfigure: {
      code: 0x0371,
      fields: { roles: list(RoleConfiguration, { min: 1, max: CodecLimits.MAX_ROLES }) },
    },
    UserAuthorize: {
      code: 0x0373,
      fields: { authorizations: list(UserAuthorization, { min: 1, max: CodecLimits.MAX_ROLES }) },
    },
    EventAccountRegister: { code: 0x0380, fields: accountIdentity },
    EventPublish: {
      code: 0x0381,
      fields: { account: address, events: list(EventWrite, { min: 1, max: CodecLimits.MAX_WRITES_PER_OPERATION }) },
    },
    /** Replaces the consensus settings; a different provider switches the consensus protocol. */
    ConsensusSettingsUpdate: { code: 0x0390, fields: { consensus: ConsensusSettings } },
    HashAlgorithmUpdate: { code: 0x0393, fields: { algorithm: hashAlgorithm } },
    /** `owners` and `role`, when absent, stay as they are. */
    AccountPermissionSet: {
      code: 0x0d10,
      fields: {
        address,
        accountType: accountTypeCodec,
        modeBits: uint(2, CodecLimits.MAX_MODE_BITS),
        owners: optional(set(address, { min: 1, max: CodecLimits.MAX_OWNERS })),
        role: optional(RoleName),
      },
    },
  },
);
export type Operation = Infer<typeof Operation>;
export type OperationType = Operation['type'];
/** The operation of one type, e.g. `OperationOf<'KvSet'>`. */
export type OperationOf<K extends OperationType> = Extract<Operation, { readonly type: K }>;
