import { Address, HashDigest, PubKey, SignatureDigest } from '@jadechain/crypto';
import type {
  BlockHeader,
  CommitCertificate,
  CommitVote,
  ContractAccount,
  DataAccount,
  Event,
  EventAccount,
  KvEntry,
  LedgerInitProposal,
  LedgerInitSignature,
  LedgerSettings,
  Operation,
  Participant,
  ParticipantSet,
  RolePrivileges,
  TransactionContent,
  TransactionRequest,
  TransactionResult,
  TypedValue,
  UserAccount,
  UserRoles,
} from '../src/index.js';
import { fromHex } from './codec-support.js';

/**
 * Fixed example values of every structure, from which vectors/encoding/codec-structures.json is
 * produced. Keys and signatures are RFC 8032 §7.1 TEST 1 and TEST 2 (Ed25519); hashes are
 * SHA-256("abc") (FIPS 180-4) and SM3("abc") (GB/T 32905-2016 Annex A.1); addresses derive from
 * the keys. They are examples of layout, not of meaning: nothing here verifies.
 */
export const ALICE_KEY = new PubKey('ED25519', fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'));
export const BOB_KEY = new PubKey('ED25519', fromHex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'));
export const ALICE_SIGNATURE = new SignatureDigest(
  'ED25519',
  fromHex(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ),
);
export const BOB_SIGNATURE = new SignatureDigest(
  'ED25519',
  fromHex(
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ),
);
export const SHA256_ABC = new HashDigest('SHA256', fromHex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'));
export const SM3_ABC = new HashDigest('SM3', fromHex('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'));
export const ALICE = Address.fromPublicKey(ALICE_KEY);
export const BOB = Address.fromPublicKey(BOB_KEY);

const NONCE = fromHex('0001020304050607');
const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const permission = { owners: [ALICE], modeBits: 0o755, role: 'WRITERS' } as const;

const settings: LedgerSettings = {
  protocolVersion: 1,
  crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519', 'SM2'] },
  consensus: { provider: 'jadechain-bft', properties: { 'view.timeout.ms': '2000', 'batch.max': '2000' } },
  identityMode: 'KEYPAIR',
  rootCertificates: [],
  limits: {
    maxTransactionBytes: 4 * 1024 * 1024,
    maxOperationsPerTransaction: 100,
    maxTransactionsPerBlock: 2000,
    maxBlockBytes: 32 * 1024 * 1024,
    maxValueBytes: 8 * 1024 * 1024,
  },
  timestampWindowMs: 600000,
};

const participant: Participant = { id: 0, name: 'org1-peer0', address: ALICE, pubKey: ALICE_KEY, state: 'CONSENSUS' };

/** A transaction of one KV write: the shape the throughput aim is measured on. */
export const ONE_KV_WRITE: TransactionContent = {
  ledgerHash: SHA256_ABC,
  operations: [
    {
      type: 'KvSet',
      account: BOB,
      writes: [{ key: 'balance:alice', value: { type: 'INT64', value: 100n }, expectedVersion: 3n }],
    },
  ],
  timestamp: 1700000000000n,
  nonce: NONCE,
};

export const OPERATIONS: readonly Operation[] = [
  { type: 'UserRegister', address: ALICE, pubKey: ALICE_KEY },
  { type: 'UserRegister', address: ALICE, pubKey: ALICE_KEY, certificate: CERTIFICATE },
  { type: 'UserStateUpdate', address: ALICE, state: 'FREEZE' },
  { type: 'UserCertificateUpdate', address: ALICE, certificate: CERTIFICATE },
  { type: 'ContractStateUpdate', address: BOB, state: 'REVOKE' },
  { type: 'DataAccountRegister', address: BOB, pubKey: BOB_KEY },
  {
    type: 'KvSet',
    account: BOB,
    writes: [
      { key: 'a', value: { type: 'TEXT', value: 'héllo' }, expectedVersion: -1n },
      { key: 'b', value: { type: 'NIL' }, expectedVersion: 0n },
    ],
  },
  { type: 'ContractDeploy', address: BOB, pubKey: BOB_KEY, code: fromHex('6578706f7274'), expectedVersion: -1n, language: 'JAVASCRIPT' },
  {
    type: 'ContractInvoke',
    address: BOB,
    method: 'transfer',
    args: [{ type: 'TEXT', value: 'alice' }, { type: 'INT64', value: 5n }],
  },
  { type: 'ContractInvoke', address: BOB, method: 'ping', args: [], version: 2n },
  { type: 'ParticipantRegister', name: 'org2-peer0', address: BOB, pubKey: BOB_KEY },
  { type: 'ParticipantStateUpdate', address: BOB, state: 'CONSENSUS' },
  {
    type: 'RolesConfigure',
    roles: [
      {
        name: 'WRITERS',
        enableLedgerPermissions: ['WRITE_DATA_ACCOUNT', 'REGISTER_DATA_ACCOUNT'],
        disableLedgerPermissions: ['CONFIGURE_ROLES'],
        enableTransactionPermissions: ['DIRECT_OPERATION'],
        disableTransactionPermissions: [],
      },
    ],
  },
  {
    type: 'UserAuthorize',
    authorizations: [{ userAddresses: [ALICE, BOB], policy: 'UNION', authorizeRoles: ['WRITERS'], unauthorizeRoles: ['DEFAULT'] }],
  },
  { type: 'EventAccountRegister', address: BOB, pubKey: BOB_KEY },
  {
    type: 'EventPublish',
    account: BOB,
    events: [{ topic: 'transfers', content: { type: 'JSON', value: '{"amount":5}' }, expectedSequence: -1n }],
  },
  { type: 'ConsensusSettingsUpdate', consensus: { provider: 'jadechain-raft', properties: {} } },
  { type: 'HashAlgorithmUpdate', algorithm: 'SM3' },
  { type: 'AccountPermissionSet', address: BOB, accountType: 'DATA', modeBits: 0o770, owners: [ALICE], role: 'WRITERS' },
  { type: 'AccountPermissionSet', address: BOB, accountType: 'CONTRACT', modeBits: 0o1777 },
];

export const TYPED_VALUES: readonly TypedValue[] = [
  { type: 'NIL' },
  { type: 'BOOLEAN', value: false },
  { type: 'INT64', value: -9223372036854775808n },
  { type: 'TIMESTAMP', value: 1700000000000n },
  { type: 'TEXT', value: '数据' },
  { type: 'JSON', value: '{"a": [1, 2.5, null]}' },
  { type: 'BYTES', value: fromHex('00ff') },
  { type: 'PUBKEY', value: ALICE_KEY },
  { type: 'SIGNATURE', value: ALICE_SIGNATURE },
  { type: 'HASH', value: SM3_ABC },
];

const genesisHeader: BlockHeader = {
  height: 0n,
  timestamp: 1700000000000n,
  transactionSetRoot: SHA256_ABC,
  adminRoot: SHA256_ABC,
  userRoot: SHA256_ABC,
  dataAccountRoot: SHA256_ABC,
  contractRoot: SHA256_ABC,
  eventRoot: SHA256_ABC,
  participantSetHash: SHA256_ABC,
  protocolVersion: 1,
};

const vote: CommitVote = { ledgerHash: SHA256_ABC, height: 1n, round: 0, blockHash: SM3_ABC };

export const EXAMPLES = {
  LedgerSettings: settings,
  Participant: participant,
  ParticipantSet: { participants: [participant, { ...participant, id: 1, name: 'org2-peer0', address: BOB, pubKey: BOB_KEY }] },
  UserAccount: { address: ALICE, pubKey: ALICE_KEY, state: 'NORMAL', certificate: CERTIFICATE },
  RolePrivileges: { name: 'DEFAULT', ledgerPermissions: [], transactionPermissions: ['DIRECT_OPERATION'] },
  UserRoles: { userAddress: ALICE, policy: 'INTERSECT', roles: ['AUDITORS', 'WRITERS'] },
  DataAccount: { address: BOB, pubKey: BOB_KEY, permission },
  EventAccount: { address: BOB, pubKey: BOB_KEY, permission: { owners: [ALICE, BOB], modeBits: 0o777 } },
  ContractAccount: {
    address: BOB,
    pubKey: BOB_KEY,
    codeHash: SHA256_ABC,
    version: 0n,
    state: 'NORMAL',
    language: 'JAVASCRIPT',
    permission,
  },
  KvEntry: { key: 'balance:alice', version: 4n, value: { type: 'INT64', value: 100n } },
  Event: {
    eventAccount: BOB,
    topic: 'transfers',
    sequence: 0n,
    content: { type: 'TEXT', value: 'alice→bob 5' },
    transactionHash: SHA256_ABC,
    blockHeight: 7n,
    contractSource: ALICE,
  },
  TransactionContent: ONE_KV_WRITE,
  TransactionRequest: {
    content: ONE_KV_WRITE,
    endpointSignatures: [{ pubKey: ALICE_KEY, signature: ALICE_SIGNATURE }],
    nodeSignatures: [{ pubKey: BOB_KEY, signature: BOB_SIGNATURE }],
  },
  TransactionResult: {
    transactionHash: SHA256_ABC,
    blockHeight: 7n,
    state: 'DATA_VERSION_CONFLICT',
    operationResults: [{ index: 0, value: { type: 'BOOLEAN', value: true } }],
    derivedOperations: [],
  },
  GenesisBlockHeader: genesisHeader,
  BlockHeader: { ...genesisHeader, ledgerHash: SHA256_ABC, height: 1n, previousHash: SHA256_ABC, timestamp: 1700000001000n },
  CommitVote: vote,
  CommitCertificate: {
    height: 1n,
    round: 0,
    blockHash: SM3_ABC,
    votes: [
      { voter: { type: 'PARTICIPANT_ID', id: 0 }, signature: ALICE_SIGNATURE },
      { voter: { type: 'PUBKEY', pubKey: BOB_KEY }, signature: BOB_SIGNATURE },
    ],
  },
  LedgerInitProposal: {
    seed: fromHex('932dfe23fe23'),
    createdTime: 1700000000000n,
    settings,
    participants: [participant],
    genesisUsers: [{ pubKey: ALICE_KEY, roles: ['ADMIN'], policy: 'UNION' }],
    roles: [
      {
        name: 'ADMIN',
        ledgerPermissions: ['CONFIGURE_ROLES', 'AUTHORIZE_USER_ROLES', 'REGISTER_USER', 'APPROVE_TX'],
        transactionPermissions: ['DIRECT_OPERATION', 'CONTRACT_OPERATION'],
      },
    ],
  },
  LedgerInitSignature: { proposalHash: SHA256_ABC, signature: { pubKey: ALICE_KEY, signature: ALICE_SIGNATURE } },
} satisfies {
  LedgerSettings: LedgerSettings;
  Participant: Participant;
  ParticipantSet: ParticipantSet;
  UserAccount: UserAccount;
  RolePrivileges: RolePrivileges;
  UserRoles: UserRoles;
  DataAccount: DataAccount;
  EventAccount: EventAccount;
  ContractAccount: ContractAccount;
  KvEntry: KvEntry;
  Event: Event;
  TransactionContent: TransactionContent;
  TransactionRequest: TransactionRequest;
  TransactionResult: TransactionResult;
  GenesisBlockHeader: BlockHeader;
  BlockHeader: BlockHeader;
  CommitVote: CommitVote;
  CommitCertificate: CommitCertificate;
  LedgerInitProposal: LedgerInitProposal;
  LedgerInitSignature: LedgerInitSignature;
};
