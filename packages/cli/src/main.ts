import { Command, CommanderError } from 'commander';
import { CryptoError } from '@jadechain/crypto';
import { LedgerError } from '@jadechain/ledger';
import { StorageError } from '@jadechain/storage';
import { CodecError } from '@jadechain/types';
import { registerContractCommands } from './commands/contract.js';
import { registerCryptoCommands } from './commands/crypto.js';
import { registerKeyCommands } from './commands/keys.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerParticipantCommands } from './commands/participant.js';
import { registerGatewayCommands } from './commands/gateway.js';
import { registerPeerCommands } from './commands/peer.js';
import { registerQueryCommands } from './commands/query.js';
import { registerTestnetCommands } from './commands/testnet.js';
import { registerTxCommands } from './commands/tx.js';
import { registerUpCommand } from './commands/up.js';
import type { CommandContext } from './context.js';
import { ApiError, SdkError } from '@jadechain/sdk';
import { CliError, EXIT_BAD_INPUT, EXIT_NEGATIVE, EXIT_OK } from './errors.js';
import { processIO, type CliIO } from './io.js';

export const VERSION = '0.1.0';

function buildProgram(ctx: CommandContext): Command {
  const program = new Command('jadechain')
    .description('JadeChain: an enterprise consortium blockchain')
    .version(VERSION)
    // Program options (--version) only before the command, so that `query kv --version N` is the command's.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)');
  registerUpCommand(program, ctx);
  registerKeyCommands(program, ctx);
  registerCryptoCommands(program, ctx);
  registerLedgerCommands(program, ctx);
  registerTestnetCommands(program, ctx);
  registerPeerCommands(program, ctx);
  registerGatewayCommands(program, ctx);
  registerTxCommands(program, ctx);
  registerParticipantCommands(program, ctx);
  registerQueryCommands(program, ctx);
  registerContractCommands(program, ctx);
  // Every (sub)command reports through the injected IO and throws instead of exiting, so that the
  // exit code is decided in one place below.
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: ctx.io.stdout, writeErr: ctx.io.stderr });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const ctx: CommandContext = { io, exitCode: EXIT_OK };
  const program = buildProgram(ctx);
  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version "errors" are successful exits.
      return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    // The gateway refused or could not be reached: the operation failed, the usage was fine.
    if (err instanceof ApiError || (err instanceof SdkError && err.code !== 'BAD_ARGUMENT')) {
      io.stderr(`jadechain: ${err.message} [${err.code}]\n`);
      return EXIT_NEGATIVE;
    }
    if (err instanceof SdkError ||
      err instanceof CliError || err instanceof CryptoError || err instanceof LedgerError || err instanceof CodecError || err instanceof StorageError) {
      io.stderr(`jadechain: ${err.message} [${err.code}]\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
}
