import type { PubKey } from '@jadechain/crypto';
import type { TLSSocket } from 'node:tls';
import { decodeBinding, verifyBinding, type NodeRole, type TransportBinding } from './binding.js';
import { TransportError } from './errors.js';
import type { FramedSocket, SocketContext } from './framed-socket.js';
import { transportPublicKeyOf } from './transport-key.js';

/** The TLS application protocol (ALPN) of this transport; a new wire version gets a new name. */
export const ALPN_PROTOCOL = 'jadechain/1';

/** Who the remote is, as established by the handshake. */
export interface AuthenticatedPeer {
  readonly identityKey: PubKey;
  readonly role: NodeRole;
  readonly transportKey: PubKey;
  readonly binding: TransportBinding;
  readonly remoteAddress: string;
}

/** The allow-list: is this identity, in this role, an authorised node of ours? */
export type Authorizer = (peer: { readonly identityKey: PubKey; readonly role: NodeRole }) => boolean | Promise<boolean>;

export interface HandshakeContext extends SocketContext {
  readonly hello: Uint8Array;
  readonly authorize: Authorizer;
  readonly now: () => number;
  /** A dialer that knows whom it is calling refuses anybody else. */
  readonly expectedIdentity?: PubKey | undefined;
}

/** TLS-level checks: TLS 1.3, our ALPN protocol, and a certificate with a usable key. */
function presentedTransportKey(socket: TLSSocket): PubKey {
  if (socket.getProtocol() !== 'TLSv1.3') throw new TransportError('TLS_ERROR', `negotiated ${socket.getProtocol() ?? 'no protocol'}, not TLSv1.3`);
  if (socket.alpnProtocol !== ALPN_PROTOCOL) {
    throw new TransportError('PROTOCOL_VIOLATION', `ALPN protocol ${String(socket.alpnProtocol)} is not ${ALPN_PROTOCOL}`);
  }
  const certificate = socket.getPeerX509Certificate();
  if (certificate === undefined) throw new TransportError('NO_CERTIFICATE', 'the remote presented no certificate');
  return transportPublicKeyOf(certificate.publicKey);
}

async function judge(bindingBytes: Uint8Array, presented: PubKey, context: HandshakeContext): Promise<TransportBinding> {
  const binding = decodeBinding(bindingBytes);
  verifyBinding(binding, { presentedTransportKey: presented, now: context.now(), clockSkewMs: context.limits.clockSkewMs });
  if (context.expectedIdentity !== undefined && !context.expectedIdentity.equals(binding.identityKey)) {
    throw new TransportError('UNAUTHORIZED_PEER', `identity ${binding.identityKey.toBase58()} is not the one dialled`);
  }
  if (!(await context.authorize({ identityKey: binding.identityKey, role: binding.role }))) {
    throw new TransportError('UNAUTHORIZED_PEER', `identity ${binding.identityKey.toBase58()} (${binding.role}) is not authorised`);
  }
  return binding;
}

/** Errors from outside the transport (a throwing allow-list, a key the crypto package refuses) get a code. */
function asTransportError(error: unknown, code: 'UNAUTHORIZED_PEER' | 'BAD_CERTIFICATE'): TransportError {
  if (error instanceof TransportError) return error;
  return new TransportError(code, error instanceof Error ? error.message : String(error));
}

/**
 * Runs the handshake of spec/transport.md §4 on a TLS socket that has just finished its own
 * handshake. The client sends its HELLO at once; the server answers with its own only after
 * accepting the client's, so an unauthorised client learns nothing but the refusal. The socket
 * is closed, with the reason logged, counted and sent in a CLOSE frame, on any failure.
 */
export function authenticate(
  socket: TLSSocket,
  framed: FramedSocket,
  side: 'client' | 'server',
  context: HandshakeContext,
): Promise<AuthenticatedPeer> {
  return new Promise<AuthenticatedPeer>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => refuse(new TransportError('HANDSHAKE_TIMEOUT', `no handshake within ${context.limits.handshakeTimeoutMs} ms`)), context.limits.handshakeTimeoutMs);
    timer.unref();
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      return true;
    };
    function refuse(error: TransportError): void {
      if (!settle()) return;
      context.metrics.handshakesFailed += 1;
      framed.fail(error);
      reject(error);
    }
    framed.onClose((info) => {
      if (!settle()) return;
      context.metrics.handshakesFailed += 1;
      const byPeer = info.initiator === 'remote' && info.code !== 'CONNECTION_LOST';
      reject(byPeer
        ? new TransportError('REJECTED_BY_PEER', `the remote closed the handshake: ${info.code}: ${info.message}`, info.code)
        : new TransportError(info.code === 'CONNECTION_LOST' ? 'CONNECTION_LOST' : 'CLOSED', info.message));
    });

    let presented: PubKey;
    try {
      presented = presentedTransportKey(socket);
    } catch (error) {
      refuse(asTransportError(error, 'BAD_CERTIFICATE'));
      return;
    }
    if (side === 'client') framed.send({ type: 'HELLO', binding: context.hello }, 'control');
    framed.setReceiver((frame) => {
      if (frame.type !== 'HELLO') {
        refuse(new TransportError('PROTOCOL_VIOLATION', `${frame.type} frame before the handshake completed`));
        return;
      }
      // Frames after the HELLO wait, in order, for the connection that the verdict may open.
      framed.hold();
      judge(frame.binding, presented, context).then(
        (binding) => {
          if (settled) return;
          if (side === 'server') framed.send({ type: 'HELLO', binding: context.hello }, 'control');
          settle();
          framed.openFrameLimit();
          resolve({ identityKey: binding.identityKey, role: binding.role, transportKey: presented, binding, remoteAddress: framed.remoteAddress });
        },
        (error: unknown) => refuse(asTransportError(error, 'UNAUTHORIZED_PEER')),
      );
    });
  });
}
