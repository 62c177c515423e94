export { TransportError, NORMAL_CLOSE, NO_HANDLER, BUSY, HANDLER_FAILED, type TransportErrorCode } from './errors.js';
export {
  BINDING_DOMAIN_TEXT,
  BINDING_VERSION,
  bindingMessage,
  createTransportBinding,
  decodeBinding,
  encodeBinding,
  verifyBinding,
  type BindingCheck,
  type BindingContent,
  type BindingRequest,
  type NodeRole,
  type TransportAlgorithm,
  type TransportBinding,
} from './binding.js';
export { TransportKey, transportPublicKeyOf } from './transport-key.js';
export { createNodeCredentials, type CredentialsRequest, type NodeCredentials } from './credentials.js';
export { encodeFrame, parseFrame, FrameDecoder, FrameType, MAX_REASON_BYTES, type Frame } from './frames.js';
export { DEFAULT_LIMITS, HANDSHAKE_MAX_FRAME_BYTES, resolveLimits, type TransportLimits } from './limits.js';
export { TransportMetrics, type MetricsSnapshot } from './metrics.js';
export { stderrLogger, type LogFields, type TransportLogger } from './logger.js';
export { Router, type MessageHandler, type RequestHandler } from './router.js';
export { ALPN_PROTOCOL, type AuthenticatedPeer, type Authorizer } from './handshake.js';
export type { CloseInfo } from './framed-socket.js';
export { Connection, type RequestOptions } from './connection.js';
export type { EndpointOptions } from './endpoint.js';
export { TransportServer, type ServerOptions } from './server.js';
export { connect, type ConnectOptions } from './client.js';
export { ReconnectingClient, type ReconnectingClientOptions } from './reconnecting-client.js';
export { DEFAULT_BACKOFF, backoffDelay, resolveBackoff, seededRandom, type BackoffPolicy } from './backoff.js';
