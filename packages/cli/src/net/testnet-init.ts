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

export type TestnetCrypto = 'classic' | 'sm';

export interface TestnetOptions {
  readonly dir: string;
  readonly peers: number;
  readonly crypto: TestnetCrypto;
  readonly gatewayPort: number;
  /** The first peer's p2p port; its management endpoint listens on the next one. */
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
const LOOPBACK = '127.0.0.1';

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Creates a local network in one folder: keys (participants, administrator, gateway) under a
 * development password, the init file, the genesis signed by every participant, each peer's
 * ledger store and the peer and gateway configuration files. Refuses a folder that already holds
 * a network.
 */
export async function initTestnet(options: TestnetOptions): Promise<TestnetManifest> {
  if (options.peers !== 1) {
    throw new CliError('BAD_ARGUMENT', `--peers ${options.peers}: BFT not available yet; a testnet has exactly 1 peer until the BFT engine lands`);
  }
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
  const peers = [];
  for (let index = 0; index < options.peers; index++) {
    const dataDir = layout.peerData(index);
    const store = LmdbStore.open(defaultLedgerPath(dataDir, ledgerHash));
    try {
      await Ledger.initialize(store, genesis, { suite: cryptoSuite });
    } finally {
      await store.close();
    }
    const p2pPort = options.peerPort + 2 * index;
    writeJson(layout.peerConfig(index), {
      dataDir: relativeToDir(dataDir),
      ledgers: [{ hash: ledgerHash.toBase58() }],
      identity: { keyFile: relativeToDir(layout.keyFile(layout.peerName(index))), password: passwordSource },
      p2p: { host: LOOPBACK, port: p2pPort },
      management: { host: LOOPBACK, port: p2pPort + 1 },
      gateways: [{ publicKey: gateway.publicKey.toBase58() }],
    });
    peers.push({ name: layout.peerName(index), managementUrl: `http://${LOOPBACK}:${p2pPort + 1}` });
  }
  writeJson(layout.gatewayConfig, {
    identity: { keyFile: relativeToDir(layout.keyFile(GATEWAY_KEY)), password: passwordSource },
    peers: peerKeys.map((pair, index) => ({ host: LOOPBACK, port: options.peerPort + 2 * index, publicKey: pair.publicKey.toBase58() })),
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
