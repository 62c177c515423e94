import type { Command } from 'commander';
import {
  Address,
  PubKey,
  backend,
  hashAlgorithm,
  signatureAlgorithm,
  signatureFromDer,
  type SignatureAlgorithm,
} from '@jadechain/crypto';
import { EXIT_NEGATIVE, EXIT_OK } from '../errors.js';
import { parseHex, toHex } from '../hex.js';
import type { CommandContext } from '../context.js';

/** ECDSA and SM2 signatures are accepted as r‖s (exactly 64 bytes) or, at any other length, as DER. */
const DER_CAPABLE: ReadonlySet<SignatureAlgorithm> = new Set(['ECDSA-P256', 'ECDSA-SECP256K1', 'SM2']);

function rawSignature(algorithm: SignatureAlgorithm, bytes: Uint8Array): Uint8Array {
  if (DER_CAPABLE.has(algorithm) && bytes.length !== 64) return signatureFromDer(algorithm, bytes);
  return bytes;
}

export function registerCryptoCommands(program: Command, ctx: CommandContext): void {
  const crypto = program.command('crypto').description('hash, sign, verify and derive addresses with raw hex input');

  crypto
    .command('hash')
    .description('print the hex digest of the input')
    .requiredOption('--algorithm <name>', 'SHA256, SM3 or RIPEMD160')
    .requiredOption('--in-hex <hex>', 'the message, in hex')
    .action((opts: { algorithm: string; inHex: string }) => {
      const algorithm = hashAlgorithm(opts.algorithm);
      const message = parseHex(opts.inHex, '--in-hex');
      ctx.io.stdout(`${toHex(backend.hash(algorithm).digest(message))}\n`);
    });

  crypto
    .command('sign')
    .description('print the signature in hex (ED25519: 64 bytes; ECDSA and SM2: r‖s, 64 bytes)')
    .requiredOption('--algorithm <name>', 'ED25519, ECDSA-P256, ECDSA-SECP256K1, RSA or SM2')
    .requiredOption('--private-key-hex <hex>', 'Ed25519: 32-byte seed; ECDSA and SM2: 32-byte scalar; RSA: JD Chain raw form')
    .requiredOption('--in-hex <hex>', 'the message, in hex')
    .action((opts: { algorithm: string; privateKeyHex: string; inHex: string }) => {
      const scheme = backend.signature(signatureAlgorithm(opts.algorithm));
      const privateKey = parseHex(opts.privateKeyHex, '--private-key-hex');
      const message = parseHex(opts.inHex, '--in-hex');
      scheme.checkPrivateKey(privateKey);
      ctx.io.stdout(`${toHex(scheme.sign(privateKey, message))}\n`);
    });

  crypto
    .command('verify')
    .description('exit 0 if the signature is valid, 1 if it is not, 2 on bad input')
    .requiredOption('--algorithm <name>', 'ED25519, ECDSA-P256, ECDSA-SECP256K1, RSA or SM2')
    .requiredOption('--public-key-hex <hex>', 'Ed25519: 32 bytes; ECDSA and SM2: uncompressed point 04‖x‖y')
    .requiredOption('--signature-hex <hex>', 'ECDSA and SM2: r‖s (64 bytes) or DER')
    .requiredOption('--in-hex <hex>', 'the message, in hex')
    .action((opts: { algorithm: string; publicKeyHex: string; signatureHex: string; inHex: string }) => {
      const algorithm = signatureAlgorithm(opts.algorithm);
      const publicKey = parseHex(opts.publicKeyHex, '--public-key-hex');
      const signature = rawSignature(algorithm, parseHex(opts.signatureHex, '--signature-hex'));
      const message = parseHex(opts.inHex, '--in-hex');
      const valid = backend.signature(algorithm).verify(publicKey, message, signature);
      ctx.io.stdout(valid ? 'valid\n' : 'invalid\n');
      ctx.exitCode = valid ? EXIT_OK : EXIT_NEGATIVE;
    });

  crypto
    .command('address')
    .description("print the JD Chain-style address of a public key")
    .requiredOption('--algorithm <name>', 'ED25519, ECDSA-P256, ECDSA-SECP256K1, RSA or SM2')
    .requiredOption('--public-key-hex <hex>', 'the raw public key, in hex')
    .action((opts: { algorithm: string; publicKeyHex: string }) => {
      const algorithm = signatureAlgorithm(opts.algorithm);
      const raw = parseHex(opts.publicKeyHex, '--public-key-hex');
      backend.signature(algorithm).checkPublicKey(raw);
      ctx.io.stdout(`${Address.fromPublicKey(new PubKey(algorithm, raw)).toBase58()}\n`);
    });
}
