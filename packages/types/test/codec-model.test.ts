import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { HashDigest } from '@jadechain/crypto';
import type { HashAlgorithm } from '@jadechain/crypto';
import {
  BlockHeader,
  COMMIT_VOTE_DOMAIN_TEXT,
  Codec,
  CommitVote,
  DataType,
  LedgerPermission,
  Operation,
  ParticipantState,
  TransactionContent,
  TransactionRequest,
  TransactionState,
  blockHash,
  commitVoteMessage,
  hashOf,
  normalizeRoleName,
  registeredTypeCodes,
  signedBytesOf,
  struct,
  transactionHash,
  u8,
} from '../src/index.js';
import type { HashingSuite } from '../src/index.js';
import { EXAMPLES, ONE_KV_WRITE, SHA256_ABC } from './codec-examples.js';
import { codecError, readVectorFile, toHex } from './codec-support.js';

/** Hashing through node:crypto, independent of the crypto package under test elsewhere. */
const nodeHashing: HashingSuite = {
  hash(algorithm: HashAlgorithm, data: Uint8Array): HashDigest {
    const name = { SHA256: 'sha256', SM3: 'sm3', RIPEMD160: 'ripemd160' }[algorithm];
    return new HashDigest(algorithm, createHash(name).update(data).digest());
  },
};

describe('enumerations keep JD Chain’s numbers', () => {
  test('TransactionState (JDCHAIN-REFERENCE §2.2)', () => {
    assert.equal(TransactionState.SUCCESS, 0);
    assert.equal(TransactionState.CONTRACT_EXECUTE_ERROR, 0x10);
    assert.equal(TransactionState.CONTRACT_PARAMETER_ERROR, 0x16);
    assert.equal(TransactionState.IGNORED_BY_BLOCK_FULL_ROLLBACK, 0x44);
    assert.equal(TransactionState.CONSENSUS_TIMESTAMP_ERROR, 0x86);
    assert.equal(TransactionState.INVALID_ENDPOINT_SIGNATURE, 0xd4);
    assert.equal(Object.keys(TransactionState).length, 38);
    assert.equal(new Set(Object.values(TransactionState)).size, 38);
  });

  test('LedgerPermission (§10), ParticipantState (§1.4), DataType', () => {
    assert.equal(LedgerPermission.CONFIGURE_ROLES, 1);
    assert.equal(LedgerPermission.APPROVE_TX, 0x0b);
    assert.equal(LedgerPermission.UPGRADE_CONTRACT, 0x14);
    assert.equal(Object.keys(LedgerPermission).length, 19);
    assert.deepEqual(ParticipantState, { READY: 0, CONSENSUS: 1, DEACTIVATED: 2 });
    assert.equal(DataType.TIMESTAMP, 0x18);
    assert.equal(DataType.HASH, 0x47);
    assert.ok(Object.isFrozen(TransactionState));
  });
});

describe('type codes', () => {
  test('are unique and operations use JD Chain’s codes', () => {
    const codes = new Map(registeredTypeCodes().map(([code, name]) => [name, code]));
    assert.equal(codes.get('Operation.UserRegister'), 0x310);
    assert.equal(codes.get('Operation.KvSet'), 0x321);
    assert.equal(codes.get('Operation.ContractInvoke'), 0x340);
    assert.equal(codes.get('Operation.UserAuthorize'), 0x373);
    assert.equal(codes.get('Operation.HashAlgorithmUpdate'), 0x393);
    assert.equal(codes.get('Operation.AccountPermissionSet'), 0xd10);
    assert.equal(codes.get('TransactionContent'), 0x200);
    assert.equal(codes.get('TransactionRequest'), 0x202);
    assert.equal(codes.get('TransactionResult'), 0x203);
  });

  test('a second use of a code is refused', async () => {
    const { record } = await import('../src/index.js');
    assert.throws(() => record('Clash', 0x0200, {}), /already used by TransactionContent/);
  });
});

describe('records', () => {
  test('start with their type code and layout version 1', () => {
    const bytes = BlockHeader.encode(EXAMPLES.BlockHeader);
    assert.equal(toHex(bytes.subarray(0, 3)), '011001');
    assert.equal(toHex(Operation.encode({ type: 'HashAlgorithmUpdate', algorithm: 'SM3' }).subarray(0, 3)), '039301');
  });

  test('a request embeds the exact content bytes that are hashed', () => {
    const request = TransactionRequest.encode(EXAMPLES.TransactionRequest);
    const content = TransactionContent.encode(ONE_KV_WRITE);
    assert.equal(toHex(request.subarray(3, 3 + content.length)), toHex(content));
  });

  test('the genesis header omits ledger hash and previous hash', () => {
    const genesis = BlockHeader.decode(BlockHeader.encode(EXAMPLES.GenesisBlockHeader));
    assert.equal('ledgerHash' in genesis, false);
    assert.equal('previousHash' in genesis, false);
    assert.throws(() => BlockHeader.fromJson({ ...(BlockHeader.toJson(genesis) as object), ledgerHash: null }), codecError('INVALID_JSON', 'ledgerHash'));
  });
});

describe('hashes and signed bytes', () => {
  const { vectors } = readVectorFile<{ vectors: { name: string; sha256: string; sm3: string }[] }>('codec-structures.json');
  const recorded = (name: string): { sha256: string; sm3: string } => {
    const vector = vectors.find((v) => v.name === name);
    assert.ok(vector !== undefined);
    return vector;
  };

  test('transaction hash = hash of the encoded content, with the ledger’s algorithm', () => {
    const sha = transactionHash(nodeHashing, 'SHA256', ONE_KV_WRITE);
    assert.equal(sha.algorithm, 'SHA256');
    assert.equal(toHex(sha.raw), recorded('TransactionContent').sha256);
    assert.equal(toHex(transactionHash(nodeHashing, 'SM3', ONE_KV_WRITE).raw), recorded('TransactionContent').sm3);
  });

  test('block hash = hash of the encoded header', () => {
    assert.equal(toHex(blockHash(nodeHashing, 'SHA256', EXAMPLES.BlockHeader).raw), recorded('BlockHeader').sha256);
    assert.equal(toHex(hashOf(nodeHashing, 'SM3', BlockHeader, EXAMPLES.GenesisBlockHeader).raw), recorded('GenesisBlockHeader').sm3);
  });

  test('the signed bytes of a hash are its tagged bytes', () => {
    assert.equal(toHex(signedBytesOf(SHA256_ABC)), '2018' + toHex(SHA256_ABC.raw));
  });

  test('a vote message is the domain tag then the CommitVote record', () => {
    const message = commitVoteMessage(EXAMPLES.CommitVote);
    const tag = new TextEncoder().encode(COMMIT_VOTE_DOMAIN_TEXT);
    assert.equal(toHex(message.subarray(0, tag.length)), toHex(tag));
    assert.equal(toHex(message.subarray(tag.length)), toHex(CommitVote.encode(EXAMPLES.CommitVote)));
    assert.equal(COMMIT_VOTE_DOMAIN_TEXT, 'JADECHAIN/COMMIT-VOTE\u0000');
  });
});

describe('role names', () => {
  test('are case-insensitive with an upper-case canonical form', () => {
    assert.equal(normalizeRoleName('Writers'), 'WRITERS');
    assert.equal(normalizeRoleName('a.b-c_9'), 'A.B-C_9');
    assert.throws(() => normalizeRoleName('wrïters'), codecError('INVALID_VALUE'));
    assert.throws(() => normalizeRoleName('A'.repeat(21)), codecError('INVALID_VALUE'));
    assert.throws(() => normalizeRoleName(''), codecError('INVALID_VALUE'));
  });
});

describe('the writer', () => {
  test('survives encodes nested inside an encode and values larger than its buffer', () => {
    class Nested extends Codec<number> {
      readonly descriptor = u8.descriptor;
      write(writer: Parameters<Codec<number>['write']>[0], value: number): void {
        // Encoding another value in the middle of this one must not disturb the outer writer.
        writer.bytes(u8.encode(value));
      }
      read(reader: Parameters<Codec<number>['read']>[0]): number {
        return u8.read(reader);
      }
      toJson(value: number): number {
        return value;
      }
      fromJson(json: unknown): number {
        return u8.fromJson(json);
      }
    }
    const pair = struct({ a: new Nested(), b: u8 });
    assert.equal(toHex(pair.encode({ a: 1, b: 2 })), '0102');
    const big = TransactionContent.encode({
      ...ONE_KV_WRITE,
      operations: [{ type: 'ContractDeploy', address: EXAMPLES.DataAccount.address, pubKey: EXAMPLES.DataAccount.pubKey, code: new Uint8Array(3_000_000).fill(1), expectedVersion: -1n, language: 'JAVASCRIPT' }],
    });
    assert.ok(big.length > 3_000_000);
    assert.equal(toHex(TransactionContent.encode(ONE_KV_WRITE)), toHex(TransactionContent.encode(TransactionContent.decode(TransactionContent.encode(ONE_KV_WRITE)))));
  });
});
