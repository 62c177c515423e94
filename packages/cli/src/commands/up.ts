import type { Command } from 'commander';
import { allAlgorithms, backend, cryptoSuite, type SignatureAlgorithm } from '@jadechain/crypto';
import type { CommandContext } from '../context.js';
import { DEFAULT_NETWORK_DIR, DEFAULT_PEER_PORT } from '../net/layout.js';
import { choiceOption, integerOption, PORT } from '../net/options.js';
import type { TestnetCrypto } from '../net/testnet-init.js';
import { DEFAULT_PEER_COUNT, MAX_PEER_COUNT } from '../net/topology.js';
import { runUp } from '../net/up.js';

const DEMO_MESSAGE = new TextEncoder().encode('JadeChain');

const READY_TIMEOUT_MS = 60_000;

interface UpCommandOptions {
  dir: string;
  port?: number;
  peerPort: number;
  crypto: TestnetCrypto;
  peers: number;
  demo?: boolean;
}

/**
 * `jadechain up`: the local network in one command (see net/up.ts). `--demo` shows, without
 * starting anything, the crypto suites exercised live.
 */
export function registerUpCommand(program: Command, ctx: CommandContext): void {
  program
    .command('up')
    .description(`start a local chain: ${DEFAULT_PEER_COUNT} BFT peers and a gateway, created on first use; Ctrl-C stops it`)
    .option('--dir <dir>', 'the folder of the network', DEFAULT_NETWORK_DIR)
    .option('--port <port>', 'the gateway HTTP port (default 8080)', PORT)
    .option('--crypto <suite>', 'for a new network: classic or sm', choiceOption('--crypto', ['classic', 'sm'] as const), 'classic')
    .option('--peer-port <port>', "for a new network: the first peer's p2p port (see testnet init)", PORT, DEFAULT_PEER_PORT)
    .option('--peers <n>', 'for a new network: number of peers (1 = single-node consensus)', integerOption('--peers', 1, MAX_PEER_COUNT), DEFAULT_PEER_COUNT)
    .option('--demo', 'only show the crypto suites, exercised live')
    .action(async (opts: UpCommandOptions) => {
      if (opts.demo === true) showDemo(ctx);
      else await runUp(ctx, { dir: opts.dir, crypto: opts.crypto, peers: opts.peers, peerPort: opts.peerPort, readyTimeoutMs: READY_TIMEOUT_MS, ...(opts.port === undefined ? {} : { port: opts.port }) });
    });
}

function showDemo(ctx: CommandContext): void {
      const out = ctx.io.stdout;
      out(`JadeChain — crypto suites (backend: ${backend.name})\n\n`);
      out('Algorithms (JD Chain codes where byte-identical):\n');
      for (const a of allAlgorithms()) {
        const code = `0x${a.code.toString(16).padStart(4, '0')}`;
        out(`  ${a.name.padEnd(17)} ${a.kind.padEnd(10)} ${code}${a.jdChainCompatible ? '  (JD Chain)' : ''}\n`);
      }
      out('\nSign and verify, live:\n');
      for (const algorithm of ['ED25519', 'SM2', 'ECDSA-P256'] satisfies SignatureAlgorithm[]) {
        const { publicKey, privateKey } = cryptoSuite.generateKeyPair(algorithm);
        const signature = cryptoSuite.sign(privateKey, DEMO_MESSAGE);
        const valid = cryptoSuite.verify(publicKey, DEMO_MESSAGE, signature);
        out(`  ${algorithm.padEnd(11)} address ${publicKey.address().toBase58()}  signature ${valid ? 'verified' : 'FAILED'}\n`);
      }
      out('\nTry:\n');
      out('  npx jadechain keys generate --algorithm SM2 --name alice\n');
      out('  npx jadechain keys list\n');
      out('  npx jadechain crypto hash --algorithm SM3 --in-hex 616263\n');
      out('  npx jadechain --help\n');
}
