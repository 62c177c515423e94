import { readFileSync } from 'node:fs';
import { CryptoError, cryptoSuite, decryptPrivateKey, type PrivKey, type PubKey } from '@jadechain/crypto';
import { createNodeCredentials, TransportKey, type NodeCredentials, type NodeRole } from '@jadechain/p2p';
import { ConfigError, NodeError } from './errors.js';
import type { ConfigObject } from './config-fields.js';

/** Where a key file's password comes from: an environment variable, a file, or the config itself (development only). */
export type PasswordSource = { readonly env: string } | { readonly file: string } | { readonly value: string };

/** A node's ledger identity key, as configured: an encrypted key file and its password's source. */
export interface IdentityConfig {
  readonly keyFile: string;
  readonly password: PasswordSource;
}

/** A saved transport key pair; without one the node makes a fresh key at each start. */
export interface TransportKeyConfig {
  readonly keyFile: string;
  readonly certificateFile: string;
}

export function readIdentityConfig(config: ConfigObject): IdentityConfig {
  config.only(['keyFile', 'password']);
  const password = config.object('password').only(['env', 'file', 'value']);
  const sources = ['env', 'file', 'value'].filter((name) => password.has(name));
  if (sources.length !== 1) throw new ConfigError(config.field('password'), 'must have exactly one of env, file, value');
  const source: PasswordSource = password.has('env')
    ? { env: password.string('env') }
    : password.has('file')
      ? { file: password.path('file') }
      : { value: password.string('value') };
  return { keyFile: config.path('keyFile'), password: source };
}

export function readTransportKeyConfig(config: ConfigObject): TransportKeyConfig {
  config.only(['keyFile', 'certificateFile']);
  return { keyFile: config.path('keyFile'), certificateFile: config.path('certificateFile') };
}

function passwordOf(source: PasswordSource): string {
  if ('value' in source) return source.value;
  if ('env' in source) {
    const value = process.env[source.env];
    if (value === undefined) throw new NodeError('KEY_UNAVAILABLE', `the environment variable ${source.env} holding the key password is not set`);
    return value;
  }
  try {
    // A trailing newline is what editors and `echo` add; it is never part of the password.
    return readFileSync(source.file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new NodeError('KEY_UNAVAILABLE', `cannot read the password file ${source.file}: ${(error as Error).message}`);
  }
}

/** Opens the identity key file with its password (KEY_UNAVAILABLE on any failure). */
export function loadIdentityKey(identity: IdentityConfig): PrivKey {
  let text: string;
  try {
    text = readFileSync(identity.keyFile, 'utf8');
  } catch (error) {
    throw new NodeError('KEY_UNAVAILABLE', `cannot read the key file ${identity.keyFile}: ${(error as Error).message}`);
  }
  try {
    return decryptPrivateKey(cryptoSuite, JSON.parse(text) as unknown, new TextEncoder().encode(passwordOf(identity.password)));
  } catch (error) {
    if (error instanceof CryptoError || error instanceof SyntaxError) {
      throw new NodeError('KEY_UNAVAILABLE', `cannot open the key file ${identity.keyFile}: ${error.message}`);
    }
    throw error;
  }
}

/** A binding made at start-up lasts this long; a node running longer needs a restart to re-sign. */
const BINDING_VALIDITY_MS = 365 * 24 * 3600 * 1000;

/** The identity, and the transport credentials it signs for this run. */
export interface NodeIdentity {
  readonly privateKey: PrivKey;
  readonly publicKey: PubKey;
  readonly credentials: NodeCredentials;
}

/** Opens the identity key and binds a transport key (saved or fresh) to it for `role`. */
export async function prepareIdentity(identity: IdentityConfig, transport: TransportKeyConfig | undefined, role: NodeRole): Promise<NodeIdentity> {
  const privateKey = loadIdentityKey(identity);
  let transportKey: TransportKey;
  if (transport === undefined) {
    transportKey = await TransportKey.generate('ED25519', role === 'PEER' ? 'jadechain-peer' : 'jadechain-gateway');
  } else {
    try {
      transportKey = TransportKey.fromPem(readFileSync(transport.keyFile, 'utf8'), readFileSync(transport.certificateFile, 'utf8'));
    } catch (error) {
      throw new NodeError('KEY_UNAVAILABLE', `cannot load the transport key: ${(error as Error).message}`);
    }
  }
  const now = Date.now();
  const credentials = createNodeCredentials({ identityPrivateKey: privateKey, transportKey, role, notBefore: now, notAfter: now + BINDING_VALIDITY_MS });
  return { privateKey, publicKey: cryptoSuite.publicKeyOf(privateKey), credentials };
}
