import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** `jadechain peer start --config FILE`: runs a peer in the foreground until SIGINT or SIGTERM. */
export function registerPeerCommands(program: Command, ctx: CommandContext): void {
  const peer = program.command('peer').description('run a peer (consensus node)');
  peer
    .command('start')
    .description('start a peer from its configuration file; stops cleanly on Ctrl-C or SIGTERM')
    .requiredOption('--config <file>', 'the peer configuration (see docs/operations.md)')
    .action(async (opts: { config: string }) => {
      // Loaded on use: the process modules (Fastify, transport) would slow every other command's start.
      const { peerMain } = await import('@jadechain/node');
      ctx.exitCode = await peerMain(['--config', opts.config]);
    });
}
