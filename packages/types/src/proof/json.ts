import { MerkleProofError } from './errors.js';
import { MERKLE_HASH_LENGTH } from './hashing.js';
import { checkMerkleProofShape } from './proof.js';
import type { MerkleProof, MerkleProofEnd } from './proof.js';

/**
 * The JSON form of a MerkleProof for the API: hashes as 64 lowercase hex digits, empty siblings
 * as null, `key` and `valueHash` present exactly when `end` is "otherLeaf".
 */
export interface MerkleProofJson {
  readonly end: 'leaf' | 'empty' | 'otherLeaf';
  readonly siblings: ReadonlyArray<string | null>;
  readonly key?: string;
  readonly valueHash?: string;
}

export function merkleProofToJson(proof: MerkleProof): MerkleProofJson {
  checkMerkleProofShape(proof);
  const siblings = proof.siblings.map((sibling) => (sibling === null ? null : toHex(sibling)));
  const end = proof.end;
  if (end.kind === 'otherLeaf') return { end: end.kind, siblings, key: toHex(end.key), valueHash: toHex(end.valueHash) };
  return { end: end.kind, siblings };
}

/** Reads the JSON form strictly (no unknown fields, lowercase hex only); throws MerkleProofError. */
export function merkleProofFromJson(json: unknown): MerkleProof {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('a proof must be a JSON object');
  const record = json as Record<string, unknown>;
  const kind = record['end'];
  const allowed = kind === 'otherLeaf' ? ['end', 'siblings', 'key', 'valueHash'] : ['end', 'siblings'];
  for (const field of Object.keys(record)) if (!allowed.includes(field)) throw invalid(`unexpected field "${field}"`);
  const siblingsJson = record['siblings'];
  if (!Array.isArray(siblingsJson)) throw invalid('"siblings" must be an array');
  const siblings = siblingsJson.map((sibling: unknown) => (sibling === null ? null : fromHex(sibling, 'a sibling')));
  let end: MerkleProofEnd;
  if (kind === 'otherLeaf') end = { kind, key: fromHex(record['key'], '"key"'), valueHash: fromHex(record['valueHash'], '"valueHash"') };
  else if (kind === 'leaf' || kind === 'empty') end = { kind };
  else throw invalid('"end" must be "leaf", "empty" or "otherLeaf"');
  const proof: MerkleProof = { siblings, end };
  checkMerkleProofShape(proof);
  return proof;
}

function invalid(message: string): MerkleProofError {
  return new MerkleProofError('INVALID_JSON', message);
}

function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

const HASH_HEX = /^[0-9a-f]{64}$/;

function fromHex(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || !HASH_HEX.test(value)) throw invalid(`${what} must be ${MERKLE_HASH_LENGTH * 2} lowercase hex digits`);
  const bytes = new Uint8Array(MERKLE_HASH_LENGTH);
  for (let i = 0; i < MERKLE_HASH_LENGTH; i++) bytes[i] = parseInt(value.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
