import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../errors.js';

/** Where `jadechain up` keeps its network when no --dir is given (listed in .gitignore). */
export const DEFAULT_NETWORK_DIR = '.jadechain-data';
export const DEFAULT_GATEWAY_PORT = 8080;
/** The first peer's p2p port; its management port is the next one, the next peer's two after. */
export const DEFAULT_PEER_PORT = 7080;
export const ADMIN_KEY = 'admin';
export const GATEWAY_KEY = 'gateway';

/** The files of a local network made by `testnet init`, all under one folder. */
export class TestnetLayout {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get keys(): string {
    return join(this.dir, 'keys');
  }
  keyFile(name: string): string {
    return join(this.keys, `${name}.key.json`);
  }
  /** The development password of every key in `keys`, so that `jadechain tx` needs no set-up. */
  get devPassword(): string {
    return join(this.dir, 'dev-password');
  }
  get initFile(): string {
    return join(this.dir, 'ledger-init.json');
  }
  get genesis(): string {
    return join(this.dir, 'genesis.json');
  }
  /** What `testnet init` made: read by `up`, `tx` and `query` for their defaults. */
  get manifest(): string {
    return join(this.dir, 'testnet.json');
  }
  get gatewayConfig(): string {
    return join(this.dir, 'gateway.json');
  }
  peerName(index: number): string {
    return `peer${index}`;
  }
  peerConfig(index: number): string {
    return join(this.dir, `${this.peerName(index)}.json`);
  }
  peerData(index: number): string {
    return join(this.dir, this.peerName(index));
  }
}

export interface TestnetManifest {
  readonly crypto: string;
  readonly ledgerHash: string;
  readonly gatewayUrl: string;
  /** Each peer's configuration is `<name>.json` in the network's folder. */
  readonly peers: readonly { readonly name: string; readonly managementUrl: string }[];
  readonly adminKey: string;
}

/** The network's manifest, or undefined when the folder holds no testnet. */
export function readManifest(layout: TestnetLayout): TestnetManifest | undefined {
  if (!existsSync(layout.manifest)) return undefined;
  try {
    return JSON.parse(readFileSync(layout.manifest, 'utf8')) as TestnetManifest;
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `${layout.manifest} is not a testnet manifest: ${(err as Error).message}`);
  }
}
