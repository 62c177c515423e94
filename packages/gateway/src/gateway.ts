import type { PubKey } from '@jadechain/crypto';
import { Router } from '@jadechain/p2p';
import { CHANNEL, ResultNotice, decodeMessage, jsonLogger, prepareIdentity, type Logger } from '@jadechain/service';
import { Batcher } from './batcher.js';
import type { GatewayConfig } from './config.js';
import { buildHttp } from './http.js';
import { GatewayMetrics } from './metrics.js';
import { NetworkView } from './network-view.js';
import { PeerLinks } from './peer-links.js';
import { FinalityTracker } from './results.js';
import { Submitter } from './submitter.js';
import { registerEventSockets } from './ws-server.js';

export interface GatewayHandle {
  readonly identity: PubKey;
  /** Where the HTTP API listens (the port actually bound when the configuration said 0). */
  readonly httpAddress: { readonly host: string; readonly port: number };
  /** Resolves once at least one peer is connected. */
  peerConnected(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a gateway: connects to its peers and serves the HTTP API. It keeps no state of its own. */
export async function startGateway(config: GatewayConfig, logger: Logger = jsonLogger('gateway')): Promise<GatewayHandle> {
  const identity = await prepareIdentity(config.identity, config.transport, 'GATEWAY');
  const tracker = new FinalityTracker(logger);
  const router = new Router();
  const links = new PeerLinks(config.peers, identity, router, jsonLogger('p2p'), config.timeouts.peerRequestMs);
  const view = new NetworkView(links, config.timeouts.statusPollMs);
  router.onMessage(CHANNEL.RESULT, (body, from) => {
    const peer = from.peer.identityKey.toBase58();
    const notice = decodeMessage(ResultNotice, body, 'RESULT');
    links.saw(peer);
    const heights = notice.outcomes.map((outcome) => Number(outcome.blockHeight));
    if (heights.length > 0) view.observe(peer, notice.ledgerHash.toBase58(), Math.max(...heights), false);
    tracker.notice(peer, notice);
  });
  const batcher = new Batcher(links, identity.privateKey, config.batching.windowMs, config.batching.maxTransactions);
  const submitter = new Submitter(links, view, batcher, tracker, identity.privateKey, config.timeouts.commitWaitMs);
  const metrics = new GatewayMetrics(links.metrics, () => tracker.size, () => tracker.disagreements);
  const health = (): object => ({ status: links.connected().length > 0 ? 'ok' : 'no-peer', peersConnected: links.connected().length });
  const limits = { rateLimit: config.rateLimit, ...(config.cors === undefined ? {} : { cors: config.cors }) };
  const app = buildHttp(submitter, metrics, logger, config.bodyLimitBytes, health, { limits, ready: () => view.ready(), network: () => view.describe() });
  registerEventSockets(app, (path, query) => submitter.query('GET', path, query, undefined), { peerRequestMs: config.timeouts.peerRequestMs });
  links.start();
  view.start();
  try {
    await app.listen({ host: config.http.host, port: config.http.port, backlog: config.http.backlog });
  } catch (error) {
    await view.stop();
    await links.close();
    throw error;
  }
  const address = app.server.address();
  const httpAddress = { host: config.http.host, port: typeof address === 'object' && address !== null ? address.port : config.http.port };
  logger.info('gateway started', { identity: identity.publicKey.toBase58(), http: `${httpAddress.host}:${httpAddress.port}`, peers: config.peers.length });
  let closing: Promise<void> | undefined;
  return {
    identity: identity.publicKey,
    httpAddress,
    async peerConnected() {
      while (links.connected().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close() {
      closing ??= (async () => {
        batcher.flushAll();
        await app.close();
        await view.stop();
        await links.close();
        logger.info('gateway stopped', {});
      })();
      return closing;
    },
  };
}
