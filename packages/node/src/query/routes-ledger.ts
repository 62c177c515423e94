import { base58Encode } from '@jadechain/crypto';
import type { Ledger } from '@jadechain/ledger';
import { ConsensusSettings, LedgerSettings, ParticipantSet, hashOf } from '@jadechain/types';
import type { LedgerInitProposal } from '@jadechain/types';
import { QueryError } from './errors.js';
import { addressJson, base64, jdAlgorithmCode, participantJson } from './json.js';
import type { JsonObject } from './json.js';
import type { Router } from './router.js';

/** §7.2: the ledgers a node holds, their metadata, settings and participants. */
export function addLedgerRoutes(router: Router): void {
  router.get('/ledgers', ({ ledgers }) => ledgers.list().map((ledger) => ledger.ledgerHash.toBase58()));
  router.get('/ledgers/count', ({ ledgers }) => ledgers.list().length);
  router.ledger('', (ledger) => {
    const info = ledger.info();
    return { hash: info.ledgerHash.toBase58(), latestBlockHeight: info.height, latestBlockHash: info.blockHash.toBase58() };
  });
  router.ledger('/metadata', metadataJson);
  router.ledger('/settings', settingsJson);
  router.ledger('/settings/crypto', cryptoSettingJson);
  router.ledger('/admininfo', (ledger) => {
    const participants = ledger.tip.state().participants();
    const settings = ledger.tip.settings();
    return {
      participants: participants.map(participantJson),
      participantCount: participants.length,
      metadata: metadataJson(ledger),
      settings: {
        cryptoSetting: cryptoSettingJson(ledger),
        consensusProvider: settings.consensus.provider,
        consensusSetting: { value: base58Encode(ConsensusSettings.encode(settings.consensus)) },
      },
    };
  });
  router.ledger('/participants', (ledger) => ledger.tip.state().participants().map(participantJson));
  router.ledger('/participants/count', (ledger) => ledger.tip.state().participants().length);
}

function initProposal(ledger: Ledger): LedgerInitProposal {
  const proposal = ledger.tip.state().initProposal();
  if (proposal === undefined) throw new QueryError('INTERNAL_ERROR', 'the ledger has no init proposal');
  return proposal;
}

/**
 * LedgerMetadata. JadeChain keeps roles and user roles in the admin tree, so instead of JD
 * Chain's rolePrivilegesHash and userRolesHash it gives that tree's root (adminAccountHash).
 */
function metadataJson(ledger: Ledger): JsonObject {
  const tip = ledger.tip;
  const settings = tip.settings();
  const algorithm = settings.crypto.hashAlgorithm;
  const suite = ledger.context.suite;
  const proposal = initProposal(ledger);
  return {
    seed: base64(proposal.seed),
    participantsHash: hashOf(suite, algorithm, ParticipantSet, { participants: tip.state().participants() }).toBase58(),
    settingsHash: hashOf(suite, algorithm, LedgerSettings, settings).toBase58(),
    adminAccountHash: tip.header.adminRoot.toBase58(),
    ledgerStructureVersion: settings.protocolVersion,
    identityMode: settings.identityMode,
    createdTime: Number(proposal.createdTime),
  };
}

function settingsJson(ledger: Ledger): JsonObject {
  const tip = ledger.tip;
  const settings = tip.settings();
  const proposal = initProposal(ledger);
  const participants = tip.state().participants();
  const properties = settings.consensus.properties;
  return {
    seed: groupedHex(proposal.seed),
    identityMode: settings.identityMode,
    ledgerCertificates: [...settings.rootCertificates],
    participantsHash: tip.header.participantSetHash.toBase58(),
    cryptoSetting: cryptoSettingJson(ledger),
    consensusProtocol: settings.consensus.provider,
    consensusSettings: {
      systemConfigs: Object.keys(properties).sort().map((name) => ({ name, value: properties[name] ?? '' })),
      nodes: participants.map((p) => ({ id: p.id, pubKey: p.pubKey.toBase58(), address: p.address.toBase58() })),
    },
    participantNodes: participants.map(participantJson),
    genesisUsers: proposal.genesisUsers.map((user) => ({
      pubKey: user.pubKey.toBase58(),
      address: addressJson(user.pubKey.address()),
      certificate: user.certificate ?? null,
      roles: [...user.roles],
      rolesPolicy: user.policy,
    })),
    ledgerStructureVersion: settings.protocolVersion,
    createdTime: Number(proposal.createdTime),
    limits: { ...settings.limits },
    timestampWindowMs: settings.timestampWindowMs,
  };
}

/** CryptoSetting: one provider listing the ledger's hash and signature algorithms (JD Chain codes). */
function cryptoSettingJson(ledger: Ledger): JsonObject {
  const { crypto } = ledger.tip.settings();
  const names = [crypto.hashAlgorithm, ...crypto.signatureAlgorithms];
  return {
    supportedProviders: [{ name: 'jadechain', algorithms: names.map((name) => ({ name, code: jdAlgorithmCode(name) })) }],
    hashAlgorithm: jdAlgorithmCode(crypto.hashAlgorithm),
    autoVerifyHash: true,
  };
}

/** The seed as JD Chain's settings show it: hex in groups of eight digits joined by '-'. */
function groupedHex(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return (hex.match(/.{1,8}/g) ?? []).join('-');
}
