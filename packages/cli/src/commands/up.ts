import type { Command } from 'commander';
import { allAlgorithms, backend, cryptoSuite, type SignatureAlgorithm } from '@jadechain/crypto';
import type { CommandContext } from '../context.js';

const DEMO_MESSAGE = new TextEncoder().encode('JadeChain');

/**
 * `jadechain up` will start a local network (peers, gateway, console). Until the network exists
 * it shows what does: the crypto suites, exercised live, and the commands that work today.
 */
export function registerUpCommand(program: Command, ctx: CommandContext): void {
  program
    .command('up')
    .description('start a local chain (today: show what JadeChain can already do)')
    .action(() => {
      const out = ctx.io.stdout;
      out('JadeChain — local network\n\n');
      out('The peer, gateway and console are not built yet; `jadechain up` will start them.\n');
      out(`What works today (crypto backend: ${backend.name}):\n\n`);
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
    });
}
