import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { DEFAULT_GATEWAY_PORT, DEFAULT_NETWORK_DIR, DEFAULT_PEER_PORT, TestnetLayout } from '../net/layout.js';
import { choiceOption, integerOption, PORT } from '../net/options.js';
import { initTestnet, type TestnetCrypto } from '../net/testnet-init.js';
import { DEFAULT_PEER_COUNT, MAX_PEER_COUNT, describeTolerance } from '../net/topology.js';

interface InitOptions {
  peers: number;
  dir: string;
  crypto: TestnetCrypto;
  port: number;
  peerPort: number;
}

export function registerTestnetCommands(program: Command, ctx: CommandContext): void {
  const testnet = program.command('testnet').description('create a local network: keys, genesis, ledger stores and configuration files');
  testnet
    .command('init')
    .description('write keys (with a development password), the genesis and every peer and gateway configuration')
    .option('--peers <n>', 'number of peers: 1 runs single-node consensus, 2 or more BFT (4 tolerate 1 failure)', integerOption('--peers', 1, MAX_PEER_COUNT), DEFAULT_PEER_COUNT)
    .option('--dir <dir>', 'the folder of the network', DEFAULT_NETWORK_DIR)
    .option('--crypto <suite>', 'classic (SHA256, ED25519) or sm (SM3, SM2)', choiceOption('--crypto', ['classic', 'sm'] as const), 'classic')
    .option('--port <port>', 'the gateway HTTP port', PORT, DEFAULT_GATEWAY_PORT)
    .option('--peer-port <port>', "the first peer's p2p port; its management port is the next one, the next peer's two after", PORT, DEFAULT_PEER_PORT)
    .action(async (opts: InitOptions) => {
      const manifest = await initTestnet({ dir: opts.dir, peers: opts.peers, crypto: opts.crypto, gatewayPort: opts.port, peerPort: opts.peerPort });
      const layout = new TestnetLayout(opts.dir);
      const out = ctx.io.stdout;
      out(`testnet      ${layout.dir}\n`);
      out(`ledgerHash   ${manifest.ledgerHash}\n`);
      out(`crypto       ${manifest.crypto}\n`);
      out(`consensus    ${describeTolerance(manifest.peers.length)}\n`);
      for (const [index, peer] of manifest.peers.entries()) out(`peer         ${peer.name} ${layout.peerConfig(index)}\n`);
      out(`gateway      ${manifest.gatewayUrl} ${layout.gatewayConfig}\n`);
      out(`admin key    ${manifest.adminKey} (password in ${layout.devPassword})\n`);
    });
}
