import { algorithmByName } from '@jadechain/crypto';
import type { Address, AlgorithmName, HashDigest, PubKey } from '@jadechain/crypto';
import type { BlockRecord } from '@jadechain/ledger';
import { apiInt64Json, apiTypedValueJson } from '@jadechain/types';
import type { AccountPermission, Event, JsonValue, KvEntry, Participant, TypedValue } from '@jadechain/types';

/**
 * JD Chain's JSON shapes for the query API: hashes, keys and signatures as base58 strings,
 * addresses as `{"value": base58}`, heights and versions as numbers.
 */

export type JsonObject = { readonly [key: string]: JsonValue };

export function addressJson(address: Address): JsonObject {
  return { value: address.toBase58() };
}

/** JD Chain's BlockchainIdentity. */
export function identityJson(address: Address, pubKey: PubKey): JsonObject {
  return { address: addressJson(address), pubKey: pubKey.toBase58() };
}

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** JD Chain encodes algorithm codes as signed 16-bit integers (SM2 is -16126). */
export function jdAlgorithmCode(name: AlgorithmName): number {
  const { code } = algorithmByName(name);
  return code >= 0x8000 ? code - 0x10000 : code;
}

/** A 64-bit integer as a JSON number when it is exact in a double, else as a decimal string. */
export const int64Json: (value: bigint) => JsonValue = apiInt64Json;

/** LedgerBlock: the header's fields under JD Chain's names, plus JadeChain's own. */
export function blockJson(record: BlockRecord): JsonObject {
  const { header } = record;
  return {
    hash: record.blockHash.toBase58(),
    height: Number(header.height),
    timestamp: int64Json(header.timestamp),
    ledgerHash: header.ledgerHash?.toBase58() ?? null,
    previousHash: header.previousHash?.toBase58() ?? null,
    transactionSetHash: header.transactionSetRoot.toBase58(),
    adminAccountHash: header.adminRoot.toBase58(),
    userAccountSetHash: header.userRoot.toBase58(),
    dataAccountSetHash: header.dataAccountRoot.toBase58(),
    contractAccountSetHash: header.contractRoot.toBase58(),
    userEventSetHash: header.eventRoot.toBase58(),
    participantSetHash: header.participantSetHash.toBase58(),
    protocolVersion: header.protocolVersion,
    transactionCount: record.transactionCount,
  };
}


/** `{type, value}`; NIL carries no value (as in JD Chain's KV answers). */
export function typedValueJson(value: TypedValue): JsonObject {
  return apiTypedValueJson(value);
}

export function kvEntryJson(entry: KvEntry): JsonObject {
  return { key: entry.key, version: Number(entry.version), ...typedValueJson(entry.value) };
}

/** What JD Chain answers for a key (or version) that does not exist. */
export function missingEntryJson(key: string): JsonObject {
  return { key, version: -1, type: 'NIL' };
}

export function eventJson(event: Event): JsonObject {
  return {
    name: event.topic,
    sequence: Number(event.sequence),
    content: typedValueJson(event.content),
    transactionSource: event.transactionHash.toBase58(),
    contractSource: event.contractSource === undefined ? null : addressJson(event.contractSource),
    blockHeight: Number(event.blockHeight),
    eventAccount: addressJson(event.eventAccount),
  };
}

/** The system event JD Chain publishes for every block: sequence and content are the height. */
export const NEW_BLOCK_CREATED = 'new_block_created';

export function newBlockEventJson(height: number, blockHash: HashDigest): JsonObject {
  return {
    name: NEW_BLOCK_CREATED,
    sequence: height,
    content: { type: 'INT64', value: height },
    transactionSource: null,
    contractSource: null,
    blockHeight: height,
    eventAccount: null,
    blockHash: blockHash.toBase58(),
  };
}

export function participantJson(participant: Participant): JsonObject {
  return {
    id: participant.id,
    name: participant.name,
    address: addressJson(participant.address),
    pubKey: participant.pubKey.toBase58(),
    participantNodeState: participant.state,
  };
}

export function permissionJson(permission: AccountPermission): JsonObject {
  return {
    owners: permission.owners.map(addressJson),
    modeBits: permission.modeBits,
    role: permission.role ?? null,
  };
}

/** JD Chain's privilege set: names in code order and how many there are. */
export function privilegesJson<P extends string>(granted: Iterable<P>, codes: Readonly<Record<P, number>>): JsonObject {
  const names = [...new Set(granted)].sort((a, b) => codes[a] - codes[b]);
  return { privilege: names, permissionCount: names.length };
}
