import type { ContractReceipt, LedgerTransaction } from '@jadechain/ledger';
import type { DigitalSignature, JsonValue, Operation } from '@jadechain/types';
import { addressJson, base64, identityJson, int64Json, typedValueJson } from './json.js';
import type { JsonObject } from './json.js';

/**
 * Transactions in JD Chain's JSON form: each operation carries `"@type"` with the name of JD
 * Chain's interface where one corresponds, and JD Chain's field names.
 */

const JD = 'com.jd.blockchain.ledger.';

function typed(name: string, fields: JsonObject): JsonObject {
  return { '@type': `${JD}${name}`, ...fields };
}

export function operationJson(op: Operation): JsonObject {
  switch (op.type) {
    case 'UserRegister':
      return typed('UserRegisterOperation', { userID: identityJson(op.address, op.pubKey), certificate: op.certificate ?? null });
    case 'UserStateUpdate':
      return typed('UserStateUpdateOperation', { userAddress: addressJson(op.address), state: op.state });
    case 'UserCertificateUpdate':
      return typed('UserCAUpdateOperation', { userAddress: addressJson(op.address), certificate: op.certificate });
    case 'ContractStateUpdate':
      return typed('ContractStateUpdateOperation', { contractAddress: addressJson(op.address), state: op.state });
    case 'DataAccountRegister':
      return typed('DataAccountRegisterOperation', { accountID: identityJson(op.address, op.pubKey) });
    case 'KvSet':
      return typed('DataAccountKVSetOperation', {
        accountAddress: addressJson(op.account),
        writeSet: op.writes.map((write) => ({ key: write.key, value: typedValueJson(write.value), expectedVersion: int64Json(write.expectedVersion) })),
      });
    case 'ContractDeploy':
      return typed('ContractCodeDeployOperation', {
        contractID: identityJson(op.address, op.pubKey),
        chainCode: base64(op.code),
        chainCodeVersion: int64Json(op.expectedVersion),
        lang: op.language,
      });
    case 'ContractInvoke':
      return typed('ContractEventSendOperation', {
        contractAddress: addressJson(op.address),
        event: op.method,
        args: { values: op.args.map(typedValueJson) },
        version: op.version === undefined ? null : int64Json(op.version),
      });
    case 'ParticipantRegister':
      return typed('ParticipantRegisterOperation', {
        participantName: op.name,
        participantID: identityJson(op.address, op.pubKey),
        certificate: op.certificate ?? null,
      });
    case 'ParticipantStateUpdate':
      return typed('ParticipantStateUpdateOperation', { participantAddress: addressJson(op.address), state: op.state });
    case 'RolesConfigure':
      return typed('RolesConfigureOperation', {
        roles: op.roles.map((role) => ({
          roleName: role.name,
          enableLedgerPermissions: [...role.enableLedgerPermissions],
          disableLedgerPermissions: [...role.disableLedgerPermissions],
          enableTransactionPermissions: [...role.enableTransactionPermissions],
          disableTransactionPermissions: [...role.disableTransactionPermissions],
        })),
      });
    case 'UserAuthorize':
      return typed('UserAuthorizeOperation', {
        userRolesAuthorizations: op.authorizations.map((entry) => ({
          userAddresses: entry.userAddresses.map(addressJson),
          policy: entry.policy,
          authorizedRoles: [...entry.authorizeRoles],
          unauthorizedRoles: [...entry.unauthorizeRoles],
        })),
      });
    case 'EventAccountRegister':
      return typed('EventAccountRegisterOperation', { eventAccountID: identityJson(op.address, op.pubKey) });
    case 'EventPublish':
      return typed('EventPublishOperation', {
        eventAddress: addressJson(op.account),
        events: op.events.map((event) => ({ name: event.topic, content: typedValueJson(event.content), sequence: int64Json(event.expectedSequence) })),
      });
    case 'ConsensusSettingsUpdate':
      return typed('ConsensusSettingsUpdateOperation', {
        provider: op.consensus.provider,
        properties: Object.keys(op.consensus.properties).sort().map((name) => ({ name, value: op.consensus.properties[name] ?? '' })),
      });
    case 'HashAlgorithmUpdate':
      return typed('HashAlgorithmUpdateOperation', { algorithm: op.algorithm });
    case 'AccountPermissionSet':
      return typed('AccountPermissionSetOperation', {
        address: addressJson(op.address),
        accountType: op.accountType,
        mode: op.modeBits,
        owners: op.owners === undefined ? null : op.owners.map(addressJson),
        role: op.role ?? null,
      });
  }
}

function signatureJson(signature: DigitalSignature): JsonObject {
  return { pubKey: signature.pubKey.toBase58(), digest: signature.signature.toBase58() };
}

/**
 * LedgerTransaction: the request as submitted and its result. `index` is the transaction's
 * position in its block (a JadeChain addition); JD Chain's per-transaction `dataSnapshot` is not
 * given because JadeChain keeps state roots per block (see the block's header).
 */
export function transactionJson(transaction: LedgerTransaction): JsonObject {
  const { request, result } = transaction;
  const hash = result.transactionHash.toBase58();
  const content = request.content;
  return {
    request: {
      transactionHash: hash,
      transactionContent: {
        ledgerHash: content.ledgerHash.toBase58(),
        timestamp: int64Json(content.timestamp),
        nonce: base64(content.nonce),
        operations: content.operations.map(operationJson),
      },
      endpointSignatures: request.endpointSignatures.map(signatureJson),
      nodeSignatures: request.nodeSignatures.map(signatureJson),
    },
    result: {
      transactionHash: hash,
      blockHeight: Number(result.blockHeight),
      index: transaction.index,
      executionState: result.state,
      operationResults: result.operationResults.map((entry): JsonValue => ({ index: entry.index, result: typedValueJson(entry.value) })),
      derivedOperations: result.derivedOperations.map(operationJson),
      contractReceipt: transaction.receipt === undefined ? null : receiptJson(transaction.receipt),
    },
  };
}

/**
 * JadeChain addition: what the transaction's contract invocations used and, for a failed one,
 * the contract's error code, message and stack (null when no contract ran).
 */
function receiptJson(receipt: ContractReceipt): JsonObject {
  return {
    sandboxVersion: receipt.sandboxVersion,
    invocations: receipt.invocations.map((invocation): JsonValue => ({
      operationIndex: invocation.operationIndex,
      contractAddress: addressJson(invocation.contract),
      version: int64Json(invocation.version),
      method: invocation.method,
      gasUsed: int64Json(invocation.gasUsed),
      error: invocation.failure === undefined ? null : { code: invocation.failure.code, message: invocation.failure.message, stack: invocation.failure.stack },
    })),
  };
}
