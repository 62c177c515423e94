export { loadGatewayConfig, parseGatewayConfig, DEFAULT_GATEWAY_HTTP_PORT, type GatewayConfig, type GatewayPeerConfig } from './config.js';
export { startGateway, type GatewayHandle } from './gateway.js';
export { gatewayMain } from './main.js';
export { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode } from './errors.js';
export { CAUGHT_UP_MARGIN, type LedgerQuorumJson, type PeerStatusJson } from './network-view.js';
export { quorumSize, type QuorumSize } from './tally.js';
