import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite, encryptPrivateKey } from '@jadechain/crypto';
import { jsonLogger } from '@jadechain/service';
import { parseGatewayConfig, startGateway, type GatewayHandle } from '../src/index.js';
import { gatewayKey, peerKey } from './network.js';

/**
 * A real gateway in this process whose only peer does not exist: enough for everything the
 * gateway answers itself (OpenAPI, CORS, rate limits, body limits, readiness without a peer).
 */
export interface LonelyGateway {
  readonly base: string;
  readonly handle: GatewayHandle;
  close(): Promise<void>;
}

const PASSWORD = 'limits-password';
/**
 * Where the missing peer would be: port 1 (tcpmux) is privileged and below the ephemeral range,
 * so no test binds it or is handed it. A port picked free and closed could be handed to a peer of
 * a test running alongside, with the very identity expected here (network.ts's `peerKey`), and
 * this gateway would turn ready.
 */
const NO_PEER_PORT = 1;

export async function startLonelyGateway(extra: Record<string, unknown> = {}): Promise<LonelyGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-limits-'));
  const keyFile = join(dir, 'gateway.key.json');
  writeFileSync(keyFile, JSON.stringify(encryptPrivateKey(cryptoSuite, gatewayKey.privateKey, new TextEncoder().encode(PASSWORD), { scrypt: { N: 16, r: 8, p: 1 } })));
  const config = parseGatewayConfig(
    {
      identity: { keyFile, password: { value: PASSWORD } },
      peers: [{ host: '127.0.0.1', port: NO_PEER_PORT, publicKey: peerKey.publicKey.toBase58() }],
      http: { host: '127.0.0.1', port: 0 },
      bodyLimitBytes: 4096,
      ...extra,
    },
    dir,
  );
  const handle = await startGateway(config, jsonLogger('gateway', () => undefined));
  return {
    base: `http://127.0.0.1:${handle.httpAddress.port}`,
    handle,
    async close() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
