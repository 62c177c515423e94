import { bytes, hashDigest, int64, list, optional, pubKey, record, set, struct } from '../codec/index.js';
import type { Infer } from '../codec/index.js';
import { Participant, RolePrivileges } from './accounts.js';
import { rolesPolicyCodec } from './enums.js';
import { CodecLimits } from './limits.js';
import { LedgerSettings } from './settings.js';
import { Certificate, DigitalSignature, RoleName } from './values.js';

/** A user created at genesis, with its roles (the address derives from the key). */
export const GenesisUser = struct({
  pubKey,
  certificate: optional(Certificate),
  roles: set(RoleName, { max: CodecLimits.MAX_ROLES }),
  policy: rolesPolicyCodec,
});
export type GenesisUser = Infer<typeof GenesisUser>;

/**
 * The ledger init file (`jadechain ledger init-propose`): everything the genesis block is built
 * from. Every founding organisation signs the hash of its encoding; identical files give
 * identical ledgers, so the creation time is a field here and never read from a clock.
 */
export const LedgerInitProposal = record('LedgerInitProposal', 0x0611, {
  seed: bytes(1, CodecLimits.MAX_SEED_BYTES),
  createdTime: int64,
  settings: LedgerSettings,
  participants: list(Participant, { min: 1, max: CodecLimits.MAX_PARTICIPANTS }),
  genesisUsers: list(GenesisUser, { max: CodecLimits.MAX_USERS }),
  roles: list(RolePrivileges, { max: CodecLimits.MAX_ROLES }),
});
export type LedgerInitProposal = Infer<typeof LedgerInitProposal>;

/**
 * One organisation's approval of an init proposal (`jadechain ledger init-sign`): a signature over
 * the tagged bytes of the proposal's hash, as transactions are signed.
 */
export const LedgerInitSignature = record('LedgerInitSignature', 0x0614, {
  proposalHash: hashDigest,
  signature: DigitalSignature,
});
export type LedgerInitSignature = Infer<typeof LedgerInitSignature>;
