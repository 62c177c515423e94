import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { helloPayloadOf, type NodeCredentials } from './credentials.js';
import { ALPN_PROTOCOL, type Authorizer, type HandshakeContext } from './handshake.js';
import { resolveLimits, type TransportLimits } from './limits.js';
import { stderrLogger, type TransportLogger } from './logger.js';
import { TransportMetrics } from './metrics.js';
import { Router } from './router.js';

/** What servers and clients alike are configured with. */
export interface EndpointOptions {
  readonly credentials: NodeCredentials;
  /** The allow-list, asked once per handshake after the remote's binding has verified. */
  readonly authorize: Authorizer;
  readonly router?: Router;
  readonly limits?: Partial<TransportLimits>;
  readonly logger?: TransportLogger;
  /** Counters to add to; several endpoints may share one set. */
  readonly metrics?: TransportMetrics;
  /** Wall clock (milliseconds) for binding validity; defaults to Date.now. */
  readonly now?: () => number;
}

export interface EndpointContext extends HandshakeContext {
  readonly router: Router;
  /** TLS settings shared by both sides: TLS 1.3 only, our ALPN, our certificate. */
  readonly tls: TlsOptions & ConnectionOptions;
}

export function endpointContext(options: EndpointOptions): EndpointContext {
  const { credentials } = options;
  return {
    hello: helloPayloadOf(credentials),
    authorize: options.authorize,
    now: options.now ?? Date.now,
    limits: resolveLimits(options.limits),
    metrics: options.metrics ?? new TransportMetrics(),
    logger: options.logger ?? stderrLogger,
    router: options.router ?? new Router(),
    tls: {
      key: credentials.transportKey.privateKeyPem(),
      cert: credentials.transportKey.certificatePem,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ALPNProtocols: [ALPN_PROTOCOL],
      // Certificates are self-signed carriers; the binding, checked after TLS, is the trust.
      rejectUnauthorized: false,
    },
  };
}
