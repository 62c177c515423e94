import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cryptoSuite, type KeyPair, type PubKey, type SignatureAlgorithm } from '@jadechain/crypto';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import {
  ALPN_PROTOCOL,
  createNodeCredentials,
  encodeBinding,
  encodeFrame,
  FrameDecoder,
  Router,
  TransportKey,
  TransportError,
  TransportServer,
  type Authorizer,
  type Frame,
  type LogFields,
  type NodeCredentials,
  type NodeRole,
  type ServerOptions,
  type TransportAlgorithm,
  type TransportLimits,
  type TransportLogger,
} from '../src/index.js';

/** Fixed fast-check seed for CI; override with JADECHAIN_SEED. */
export const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x7a9e11);

/** Runs a property check, saying which seed to rerun with when it fails. */
export function withSeed(check: (seed: number) => void): void {
  try {
    check(SEED);
  } catch (error) {
    console.error(`property failed with seed ${SEED}; rerun with JADECHAIN_SEED=${SEED}`);
    throw error;
  }
}

export const HOUR = 3_600_000;
/** A wall-clock instant tests pin bindings to (2024-01-01T00:00:00Z). */
export const T0 = 1_704_067_200_000;

export interface TestNode {
  readonly identity: KeyPair;
  readonly credentials: NodeCredentials;
}

const transportKeys = new Map<string, Promise<TransportKey>>();

/** Transport keys are slow-ish to make (certificate signing); tests share one per name. */
export function transportKey(algorithm: TransportAlgorithm = 'ED25519', name = 'default'): Promise<TransportKey> {
  const key = `${algorithm}/${name}`;
  let made = transportKeys.get(key);
  if (made === undefined) {
    made = TransportKey.generate(algorithm, `test-${name}`);
    transportKeys.set(key, made);
  }
  return made;
}

export interface NodeSpec {
  readonly identityAlgorithm?: SignatureAlgorithm;
  readonly transportAlgorithm?: TransportAlgorithm;
  readonly name?: string;
  readonly role?: NodeRole;
  readonly notBefore?: number;
  readonly notAfter?: number;
}

/** A node with a fresh identity key and a bound transport key, valid around now. */
export async function makeNode(spec: NodeSpec = {}): Promise<TestNode> {
  const identity = cryptoSuite.generateKeyPair(spec.identityAlgorithm ?? 'ED25519');
  const key = await transportKey(spec.transportAlgorithm ?? 'ED25519', spec.name ?? `${Math.random()}`);
  const credentials = createNodeCredentials({
    identityPrivateKey: identity.privateKey,
    transportKey: key,
    role: spec.role ?? 'PEER',
    notBefore: spec.notBefore ?? Date.now() - HOUR,
    notAfter: spec.notAfter ?? Date.now() + HOUR,
  });
  return { identity, credentials };
}

export function allow(...nodes: (TestNode | PubKey)[]): Authorizer {
  const keys = nodes.map((node) => ('identity' in node ? node.identity.publicKey : node));
  return ({ identityKey }) => keys.some((key) => key.equals(identityKey));
}

export interface LogEntry {
  readonly level: 'info' | 'warn';
  readonly event: string;
  readonly fields: LogFields;
}

export function recordingLogger(): TransportLogger & { readonly entries: LogEntry[]; warnings(code: string): LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (event, fields) => entries.push({ level: 'info', event, fields }),
    warn: (event, fields) => entries.push({ level: 'warn', event, fields }),
    warnings: (code) => entries.filter((entry) => entry.level === 'warn' && entry.fields['code'] === code),
  };
}

/** Short limits so failure paths resolve quickly in tests. */
export const FAST_LIMITS: Partial<TransportLimits> = { handshakeTimeoutMs: 2_000, closeTimeoutMs: 500, requestTimeoutMs: 2_000 };

export async function startServer(
  node: TestNode,
  options: Partial<ServerOptions> & { authorize: Authorizer },
  onPort = 0,
): Promise<{ server: TransportServer; port: number }> {
  const server = new TransportServer({
    credentials: node.credentials,
    router: new Router(),
    logger: recordingLogger(),
    ...options,
    limits: { ...FAST_LIMITS, ...options.limits },
  });
  const { port } = await server.listen(onPort, '127.0.0.1');
  return { server, port };
}

/** A hand-driven TLS client, for playing a misbehaving or foreign node. */
export interface RawSession {
  readonly socket: TLSSocket;
  readonly frames: Frame[];
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  /** The CLOSE frame received, if any. */
  closeCode(): string | undefined;
  /** Resolves with the first frame of `type` received (now or later). */
  frameOf(type: Frame['type']): Promise<Frame>;
}

export interface RawOptions {
  readonly key?: TransportKey | undefined;
  readonly alpn?: string[] | undefined;
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

export function rawSession(port: number, options: RawOptions = {}): Promise<RawSession> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      rejectUnauthorized: false,
      maxVersion: options.maxVersion ?? 'TLSv1.3',
      ...(options.key === undefined ? {} : { key: options.key.privateKeyPem(), cert: options.key.certificatePem }),
      ALPNProtocols: options.alpn ?? [ALPN_PROTOCOL],
    });
    const frames: Frame[] = [];
    const listeners: (() => void)[] = [];
    const decoder = new FrameDecoder(1 << 20);
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('data', (chunk: Buffer) =>
      decoder.push(chunk, (frame) => {
        frames.push(frame);
        for (const listener of listeners.splice(0)) listener();
      }),
    );
    const frameOf = (type: Frame['type']): Promise<Frame> =>
      new Promise((found) => {
        const look = (): void => {
          const frame = frames.find((candidate) => candidate.type === type);
          if (frame === undefined) listeners.push(look);
          else found(frame);
        };
        look();
      });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve({
        socket,
        frames,
        closed,
        frameOf,
        closeCode: () => {
          const close = frames.find((frame) => frame.type === 'CLOSE');
          return close?.type === 'CLOSE' ? close.code : undefined;
        },
      });
    });
  });
}

/** The `name hex` lines of the ```hex blocks of spec/transport.md, which the tests hold the code to. */
export function specExamples(): Map<string, Buffer> {
  const text = readFileSync(new URL('../../../../spec/transport.md', import.meta.url), 'utf8');
  const examples = new Map<string, Buffer>();
  for (const block of text.matchAll(/```hex\n([\s\S]*?)```/g)) {
    for (const line of (block[1] as string).trim().split('\n')) {
      const [name, hex] = line.split(' ');
      examples.set(name as string, Buffer.from(hex as string, 'hex'));
    }
  }
  return examples;
}

/** A hand-driven client that completes the handshake as `node`, then does what the test says. */
export async function authenticatedRawSession(port: number, node: TestNode): Promise<RawSession> {
  const session = await rawSession(port, { key: node.credentials.transportKey });
  session.socket.write(encodeFrame({ type: 'HELLO', binding: encodeBinding(node.credentials.binding) }));
  await session.frameOf('HELLO');
  return session;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asserts that `promise` rejects with a TransportError of `code` (and `remoteCode`, when given). */
export async function rejectsWith(promise: Promise<unknown>, code: string, remoteCode?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TransportError, String(error));
    assert.equal(error.code, code, error.message);
    if (remoteCode !== undefined) assert.equal(error.remoteCode, remoteCode);
    return true;
  });
}

/** Asserts that `action` throws a TransportError of `code`. */
export function throwsWith(code: string, action: () => unknown): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof TransportError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}
