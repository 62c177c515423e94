import { EXIT, configArgument, jsonLogger, runUntilSignalled } from '@jadechain/service';
import { loadPeerConfig } from './config.js';
import { startPeer } from './peer.js';

/** `jadechain peer start --config FILE` and bin/peer.js: runs a peer until signalled; resolves with the exit code. */
export async function peerMain(argv: readonly string[]): Promise<number> {
  const logger = jsonLogger('peer');
  const file = configArgument(argv);
  if (file === undefined) {
    process.stderr.write('usage: peer --config FILE\n');
    return EXIT.USAGE;
  }
  return runUntilSignalled(() => startPeer(loadPeerConfig(file), logger), logger);
}
