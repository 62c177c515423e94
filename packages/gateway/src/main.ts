import { EXIT, configArgument, jsonLogger, runUntilSignalled } from '@jadechain/service';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

/** `jadechain gateway start --config FILE` and bin/gateway.js: runs a gateway until signalled; resolves with the exit code. */
export async function gatewayMain(argv: readonly string[]): Promise<number> {
  const logger = jsonLogger('gateway');
  const file = configArgument(argv);
  if (file === undefined) {
    process.stderr.write('usage: gateway --config FILE\n');
    return EXIT.USAGE;
  }
  return runUntilSignalled(() => startGateway(loadGatewayConfig(file), logger), logger);
}
