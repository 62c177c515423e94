import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { KeystoreDir, cryptoSuite, type KeyPair, type SignatureAlgorithm } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import { LmdbStore } from '@jadechain/storage';
import { LedgerInitProposal, LedgerInitSignature } from '@jadechain/types';
import type { GenesisFile } from '../commands/ledger.js';
import { CliError } from '../errors.js';
import { toHex } from '../hex.js';
import { parseInitConfig } from '../init-config.js';
import { ADMIN_KEY, GATEWAY_KEY, TestnetLayout, type TestnetManifest } from './layout.js';
import { LOOPBACK, checkPorts, consensusProtocol, peerPorts } from './topology.js';

export type TestnetCrypto = 'classic' | 'sm';

export interface TestnetOptions {
  readonly dir: string;
  readonly peers: number;
  readonly crypto: TestnetCrypto;
  readonly gatewayPort: number;
  /** The first peer's p2p port; its management endpoint listens on the next one (see topology.ts). */
  readonly peerPort: number;
}

const KEY_ALGORITHM: Record<TestnetCrypto, SignatureAlgorithm> = { classic: 'ED25519', sm: 'SM2' };
const KEY_CIPHER = { classic: 'AES-256-GCM', sm: 'SM4-CTR-HMAC-SM3' } as const;
/**
 * Development keys protected by a password stored next to them: a cheaper scrypt than the
 * keystore's default keeps every `jadechain tx` quick, and costs nothing the file layout has not
 * already given away.
 */
const DEV_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Creates a local network in one folder: keys (participants, administrator, gateway) under a
 * development password, the init file, the genesis signed by every participant (each one a
 * CONSENSUS participant, so each peer is a validator), each peer's ledger store and the peer and
 * gateway configuration files. One peer runs the single-node engine; two or more run BFT, each
 * peer listing the others. Refuses a folder that already holds a network.
 */
export async function initTestnet(options: TestnetOptions): Promise<TestnetManifest> {
  checkPorts(options.peers, options.peerPort, options.gatewayPort);
  const protocol = consensusProtocol(options.peers);
  const layout = new TestnetLayout(options.dir);
  if (existsSync(layout.manifest)) throw new CliError('BAD_ARGUMENT', `${layout.dir} already holds a testnet (${layout.manifest})`);
  mkdirSync(layout.dir, { recursive: true });
  const password = toHex(cryptoSuite.backend.randomBytes(16));
  writeFileSync(layout.devPassword, `${password}\n`, { mode: 0o600 });
  const keystore = new KeystoreDir(layout.keys, cryptoSuite);
  const algorithm = KEY_ALGORITHM[options.crypto];
  const makeKey = (name: string): KeyPair => {
    const pair = cryptoSuite.generateKeyPair(algorithm);
    keystore.create(name, pair, new TextEncoder().encode(password), { cipher: KEY_CIPHER[options.crypto], scrypt: DEV_SCRYPT });
    return pair;
  };
  const peerKeys = Array.from({ length: options.peers }, (_, index) => makeKey(layout.peerName(index)));
  const admin = makeKey(ADMIN_KEY);
  const gateway = makeKey(GATEWAY_KEY);

  const seed = `jadechain-testnet-${toHex(cryptoSuite.backend.randomBytes(8))}`;
  // The genesis time is written into the init file, so the genesis stays reproducible from it.
  const createdTime = `${new Date().toISOString().slice(0, 19)}Z`;
  const initFile = {
    seed,
    createdTime,
    crypto: options.crypto,
    // Informational (JD Chain's consensus provider setting): the peers' configuration decides.
    consensus: { provider: protocol },
    participants: peerKeys.map((pair, index) => ({ name: layout.peerName(index), publicKey: pair.publicKey.toBase58() })),
    users: [
      ...peerKeys.map((pair) => ({ publicKey: pair.publicKey.toBase58(), roles: ['ADMIN'] })),
      { publicKey: admin.publicKey.toBase58(), roles: ['ADMIN'] },
      { publicKey: gateway.publicKey.toBase58(), roles: ['GATEWAY'] },
    ],
  };
  writeJson(layout.initFile, initFile);
  const proposal = createInitProposal(parseInitConfig(initFile));
  const signatures = peerKeys.map((pair) => signInitProposal(cryptoSuite, proposal, pair.privateKey));
  const genesis = combineInit(cryptoSuite, proposal, signatures);
  const ledgerHash = genesis.ledgerHash;
  const genesisFile: GenesisFile = {
    ledgerHash: ledgerHash.toBase58(),
    proposal: LedgerInitProposal.toJson(proposal),
    signatures: signatures.map((s) => LedgerInitSignature.toJson(s)),
  };
  writeJson(layout.genesis, genesisFile);

  const relativeToDir = (file: string): string => relative(layout.dir, file);
  const passwordSource = { file: relativeToDir(layout.devPassword) };
  // Loaded on use, as in `peer start`: the peer's modules are heavy and only needed here.
  const { defaultLedgerPath } = await import('@jadechain/node');
  const identities = peerKeys.map((pair, index) => ({ publicKey: pair.publicKey.toBase58(), host: LOOPBACK, port: peerPorts(options.peerPort, index).p2p }));
  const peers = [];
  for (let index = 0; index < options.peers; index++) {
    const dataDir = layout.peerData(index);
    const store = LmdbStore.open(defaultLedgerPath(dataDir, ledgerHash));
    try {
      await Ledger.initialize(store, genesis, { suite: cryptoSuite });
    } finally {
      await store.close();
    }
    const ports = peerPorts(options.peerPort, index);
    writeJson(layout.peerConfig(index), {
      dataDir: relativeToDir(dataDir),
      ledgers: [{ hash: ledgerHash.toBase58() }],
      identity: { keyFile: relativeToDir(layout.keyFile(layout.peerName(index))), password: passwordSource },
      p2p: { host: LOOPBACK, port: ports.p2p },
      management: { host: LOOPBACK, port: ports.management },
      gateways: [{ publicKey: gateway.publicKey.toBase58() }],
      // A single peer keeps the file as before: no consensus section means the single-node engine.
      ...(protocol === 'bft' ? { consensus: { protocol }, peers: identities.filter((_, other) => other !== index) } : {}),
    });
    peers.push({ name: layout.peerName(index), managementUrl: `http://${LOOPBACK}:${ports.management}` });
  }
  writeJson(layout.gatewayConfig, {
    identity: { keyFile: relativeToDir(layout.keyFile(GATEWAY_KEY)), password: passwordSource },
    peers: identities,
    http: { host: LOOPBACK, port: options.gatewayPort },
  });
  const manifest: TestnetManifest = {
    crypto: options.crypto,
    ledgerHash: ledgerHash.toBase58(),
    gatewayUrl: `http://${LOOPBACK}:${options.gatewayPort}`,
    peers,
    adminKey: ADMIN_KEY,
  };
  // Written last: a folder with a manifest is a complete network.
  writeJson(layout.manifest, manifest);
  return manifest;
}
