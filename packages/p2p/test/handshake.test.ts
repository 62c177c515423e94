import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { after, describe, test } from 'node:test';
import { SIGNATURE_ALGORITHMS } from '@jadechain/crypto';
import {
  connect,
  createTransportBinding,
  encodeBinding,
  encodeFrame,
  Router,
  ALPN_PROTOCOL,
  type TransportKey,
  type TransportServer,
} from '../src/index.js';
import { allow, FAST_LIMITS, rejectsWith, HOUR, makeNode, rawSession, recordingLogger, startServer, transportKey, type TestNode } from './support.js';

const ECHO = 7;
const echoRouter = (): Router => new Router().onRequest(ECHO, (body) => body);
const servers: TransportServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function serve(node: TestNode, ...allowed: TestNode[]): Promise<{ server: TransportServer; port: number; logger: ReturnType<typeof recordingLogger> }> {
  const logger = recordingLogger();
  const started = await startServer(node, { authorize: allow(...allowed), router: echoRouter(), logger });
  servers.push(started.server);
  return { ...started, logger };
}

function dial(node: TestNode, port: number, ...allowed: TestNode[]): ReturnType<typeof connect> {
  return connect({ host: '127.0.0.1', port, credentials: node.credentials, authorize: allow(...allowed), logger: recordingLogger(), limits: FAST_LIMITS });
}

describe('handshake succeeds for allowed identities', () => {
  for (const transportAlgorithm of ['ED25519', 'ECDSA-P256'] as const) {
    for (const identityAlgorithm of SIGNATURE_ALGORITHMS) {
      test(`transport ${transportAlgorithm}, identity ${identityAlgorithm}`, async () => {
        const server = await makeNode({ identityAlgorithm, transportAlgorithm, name: `server-${transportAlgorithm}` });
        const client = await makeNode({ identityAlgorithm, transportAlgorithm, name: `client-${transportAlgorithm}`, role: 'GATEWAY' });
        const { server: listening, port } = await serve(server, client);
        const connection = await dial(client, port, server);
        assert.ok(connection.peer.identityKey.equals(server.identity.publicKey));
        assert.equal(connection.peer.role, 'PEER');
        assert.ok(connection.peer.transportKey.equals(server.credentials.transportKey.publicKey));
        const reply = await connection.request(ECHO, new TextEncoder().encode(identityAlgorithm));
        assert.equal(new TextDecoder().decode(reply), identityAlgorithm);
        // The server opened its side before answering its HELLO, so it is listed by now.
        const [serverSide] = listening.connections;
        assert.ok(serverSide?.peer.identityKey.equals(client.identity.publicKey));
        assert.equal(serverSide?.peer.role, 'GATEWAY');
        await connection.close();
        assert.equal(listening.metrics.snapshot().handshakesFailed, 0);
      });
    }
  }
});

describe('handshake refusals', async () => {
  const server = await makeNode({ name: 'refusing-server' });
  const friend = await makeNode({ name: 'friend' });

  test('an unknown identity is refused by the server, and the client is told why', async () => {
    const { server: listening, port, logger } = await serve(server, friend);
    const stranger = await makeNode({ name: 'stranger' });
    await rejectsWith(dial(stranger, port, server), 'REJECTED_BY_PEER', 'UNAUTHORIZED_PEER');
    assert.equal(listening.metrics.snapshot().closedLocally['UNAUTHORIZED_PEER'], 1);
    assert.equal(logger.warnings('UNAUTHORIZED_PEER').length, 1);
    assert.equal(listening.connections.length, 0);
  });

  test('the client refuses a server that is not on its allow-list', async () => {
    const { server: listening, port } = await serve(server, friend);
    await rejectsWith(dial(friend, port /* allows nobody */), 'UNAUTHORIZED_PEER');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(listening.metrics.snapshot().closedRemotely['UNAUTHORIZED_PEER'], 1);
  });

  test('a dialler expecting another identity refuses the server', async () => {
    const { port } = await serve(server, friend);
    const connection = connect({
      host: '127.0.0.1', port, credentials: friend.credentials, authorize: allow(server), expectedIdentity: friend.identity.publicKey, logger: recordingLogger(),
    });
    await rejectsWith(connection, 'UNAUTHORIZED_PEER');
  });

  test('an allow-list that throws or rejects refuses', async () => {
    for (const authorize of [() => { throw new Error('database down'); }, () => Promise.reject(new Error('database down'))]) {
      const started = await startServer(server, { authorize });
      servers.push(started.server);
      await rejectsWith(dial(friend, started.port, server), 'REJECTED_BY_PEER', 'UNAUTHORIZED_PEER');
    }
  });

  test('an asynchronous allow-list is awaited', async () => {
    const started = await startServer(server, { authorize: async ({ identityKey }) => identityKey.equals(friend.identity.publicKey) });
    servers.push(started.server);
    const connection = await dial(friend, started.port, server);
    await connection.close();
  });

  test('an expired binding is refused', async () => {
    const stale = await makeNode({ name: 'friend', notBefore: Date.now() - 3 * HOUR, notAfter: Date.now() - 2 * HOUR });
    const { server: listening, port } = await serve(server, stale);
    await rejectsWith(dial(stale, port, server), 'REJECTED_BY_PEER', 'BINDING_EXPIRED');
    assert.equal(listening.metrics.snapshot().closedLocally['BINDING_EXPIRED'], 1);
  });

  test('a forged binding (signature by another key) is refused', async () => {
    const { server: listening, port } = await serve(server, friend);
    const key = await transportKey('ED25519', 'friend');
    const forger = await makeNode({ name: 'forger' });
    const genuine = friend.credentials.binding;
    const forged = { ...genuine, signature: createTransportBinding({ ...genuine, identityPrivateKey: forger.identity.privateKey }).signature };
    const session = await rawSession(port, { key });
    session.socket.write(encodeFrame({ type: 'HELLO', binding: encodeBinding(forged) }));
    await session.closed;
    assert.equal(session.closeCode(), 'BAD_BINDING');
    assert.equal(listening.metrics.snapshot().closedLocally['BAD_BINDING'], 1);
  });

  test('a replayed binding (for another transport key than the certificate) is refused', async () => {
    const { server: listening, port } = await serve(server, friend);
    const thiefKey = await transportKey('ED25519', 'thief');
    const session = await rawSession(port, { key: thiefKey });
    session.socket.write(encodeFrame({ type: 'HELLO', binding: encodeBinding(friend.credentials.binding) }));
    await session.closed;
    assert.equal(session.closeCode(), 'TRANSPORT_KEY_MISMATCH');
    assert.equal(listening.metrics.snapshot().closedLocally['TRANSPORT_KEY_MISMATCH'], 1);
  });

  test('undecodable binding bytes are refused', async () => {
    const { port } = await serve(server, friend);
    const session = await rawSession(port, { key: await transportKey('ED25519', 'friend') });
    session.socket.write(encodeFrame({ type: 'HELLO', binding: new Uint8Array([1, 2, 3]) }));
    await session.closed;
    assert.equal(session.closeCode(), 'BAD_BINDING');
  });

  test('a client without a certificate is refused', async () => {
    const { server: listening, port, logger } = await serve(server, friend);
    const session = await rawSession(port);
    await session.closed;
    assert.equal(session.closeCode(), 'NO_CERTIFICATE');
    assert.equal(listening.metrics.snapshot().closedLocally['NO_CERTIFICATE'], 1);
    assert.equal(logger.warnings('NO_CERTIFICATE').length, 1);
  });

  test('TLS 1.2 is refused during the TLS handshake', async () => {
    const { server: listening, port } = await serve(server, friend);
    await assert.rejects(rawSession(port, { key: await transportKey('ED25519', 'friend'), maxVersion: 'TLSv1.2' }), /alert protocol version/i);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(listening.metrics.snapshot().closedLocally['TLS_ERROR'], 1);
  });

  test('a client offering no ALPN protocol is refused', async () => {
    const { port } = await serve(server, friend);
    const session = await rawSession(port, { key: await transportKey('ED25519', 'friend'), alpn: [] });
    await session.closed;
    assert.equal(session.closeCode(), 'PROTOCOL_VIOLATION');
  });

  test('a data frame before the HELLO is a protocol violation', async () => {
    const { port } = await serve(server, friend);
    const session = await rawSession(port, { key: await transportKey('ED25519', 'friend') });
    session.socket.write(encodeFrame({ type: 'MESSAGE', channel: ECHO, body: new Uint8Array(3) }));
    await session.closed;
    assert.equal(session.closeCode(), 'PROTOCOL_VIOLATION');
  });

  test('a silent client is dropped after the handshake timeout', async () => {
    const started = await startServer(server, { authorize: allow(friend), limits: { handshakeTimeoutMs: 100 } });
    servers.push(started.server);
    const session = await rawSession(started.port, { key: await transportKey('ED25519', 'friend') });
    await session.closed;
    assert.equal(session.closeCode(), 'HANDSHAKE_TIMEOUT');
    assert.equal(started.server.metrics.snapshot().handshakesFailed, 1);
  });

  test('a refused connection leaves the server serving others', async () => {
    const { server: listening, port } = await serve(server, friend);
    await rejectsWith(dial(await makeNode({ name: 'stranger2' }), port, server), 'REJECTED_BY_PEER');
    const connection = await dial(friend, port, server);
    assert.deepEqual(await connection.request(ECHO, Uint8Array.of(1)), Buffer.of(1));
    assert.equal(listening.metrics.snapshot().connectionsActive, 1);
    await connection.close();
  });

  test('dialling a closed port fails with CONNECT_FAILED', async () => {
    const { server: listening, port } = await serve(server, friend);
    await listening.close();
    await rejectsWith(dial(friend, port, server), 'CONNECT_FAILED');
  });
});

describe('the client checks the server as strictly', async () => {
  const client = await makeNode({ name: 'careful-client' });
  const genuine = await makeNode({ name: 'genuine-server' });

  /** A TLS server under the test's control, answering every connection with `onSecure`. */
  async function foreignServer(key: TransportKey, options: { maxVersion?: 'TLSv1.2' }, onSecure: (socket: TLSSocket) => void): Promise<{ server: TlsServer; port: number }> {
    const server = createTlsServer({ key: key.privateKeyPem(), cert: key.certificatePem, requestCert: true, rejectUnauthorized: false, ALPNProtocols: [ALPN_PROTOCOL], ...options }, onSecure);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { server, port: (server.address() as AddressInfo).port };
  }

  test('a server replaying another node\'s binding is refused with TRANSPORT_KEY_MISMATCH', async () => {
    const { port } = await foreignServer(await transportKey('ED25519', 'impostor-server'), {}, (socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write(encodeFrame({ type: 'HELLO', binding: encodeBinding(genuine.credentials.binding) })));
    });
    await rejectsWith(dial(client, port, genuine), 'TRANSPORT_KEY_MISMATCH');
  });

  test('a TLS 1.2 server is refused during the TLS handshake', async () => {
    const { port } = await foreignServer(await transportKey('ED25519', 'old-server'), { maxVersion: 'TLSv1.2' }, (socket) => socket.end());
    await rejectsWith(dial(client, port, genuine), 'TLS_ERROR');
  });
});
