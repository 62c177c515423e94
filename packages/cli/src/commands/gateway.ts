import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** `jadechain gateway start --config FILE`: runs a gateway in the foreground until SIGINT or SIGTERM. */
export function registerGatewayCommands(program: Command, ctx: CommandContext): void {
  const gateway = program.command('gateway').description('run a gateway (REST API, transaction intake)');
  gateway
    .command('start')
    .description('start a gateway from its configuration file; stops cleanly on Ctrl-C or SIGTERM')
    .requiredOption('--config <file>', 'the gateway configuration (see docs/operations.md)')
    .action(async (opts: { config: string }) => {
      // Loaded on use: the process modules (Fastify, transport) would slow every other command's start.
      const { gatewayMain } = await import('@jadechain/gateway');
      ctx.exitCode = await gatewayMain(['--config', opts.config]);
    });
}
