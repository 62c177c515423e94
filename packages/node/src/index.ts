export { loadPeerConfig, parsePeerConfig, defaultLedgerPath, DEFAULT_PEER_P2P_PORT, DEFAULT_PEER_MANAGEMENT_PORT } from './peer/config.js';
export type { AuthorizedGateway, PeerConfig, PeerLedgerConfig } from './peer/config.js';
export { startPeer, type PeerHandle } from './peer/peer.js';
export { peerMain } from './peer/main.js';
