import type { Command } from 'commander';
import { aeadAlgorithm, cryptoSuite, signatureAlgorithm, type KeyEntry, type KeystoreDir } from '@jadechain/crypto';
import { resolvePassword } from '../password.js';
import type { CommandContext } from '../context.js';
import { KEYSTORE_OPTION_HELP, openKeystore } from '../keystore.js';

function describe(entry: KeyEntry): Record<string, string> {
  return {
    name: entry.name,
    algorithm: entry.algorithm,
    publicKey: entry.publicKey.toBase58(),
    address: entry.address.toBase58(),
    ...(entry.createdAt === undefined ? {} : { createdAt: entry.createdAt }),
  };
}

function print(ctx: CommandContext, entry: KeyEntry, json: boolean): void {
  const fields = describe(entry);
  if (json) {
    ctx.io.stdout(`${JSON.stringify(fields, null, 2)}\n`);
    return;
  }
  for (const [key, value] of Object.entries(fields)) ctx.io.stdout(`${key.padEnd(10)} ${value}\n`);
}

export function registerKeyCommands(program: Command, ctx: CommandContext): void {
  const keys = program
    .command('keys')
    .description('manage the local keystore of password-encrypted private keys')
    .option('--keystore <dir>', KEYSTORE_OPTION_HELP);
  const store = (): KeystoreDir => openKeystore(ctx, keys.opts<{ keystore?: string }>().keystore);

  keys
    .command('generate')
    .description('generate a key pair and store its private key encrypted under a password')
    .option('--algorithm <name>', 'ED25519, ECDSA-P256, ECDSA-SECP256K1, RSA or SM2', 'ED25519')
    .requiredOption('--name <name>', 'the key name: 1-64 of A-Z a-z 0-9 . _ -')
    .option('--cipher <name>', 'AES-256-GCM or SM4-CTR-HMAC-SM3 (for SM-only deployments)', 'AES-256-GCM')
    .option('--password-file <file>', 'read the password from the first line of this file')
    .option('--json', 'print JSON')
    .action(async (opts: { algorithm: string; name: string; cipher: string; passwordFile?: string; json?: boolean }) => {
      const algorithm = signatureAlgorithm(opts.algorithm);
      const cipher = aeadAlgorithm(opts.cipher);
      const target = store();
      target.checkNewName(opts.name);
      const password = await resolvePassword(ctx.io, { passwordFile: opts.passwordFile, confirm: true });
      const entry = target.create(opts.name, cryptoSuite.generateKeyPair(algorithm), password, { cipher });
      print(ctx, entry, opts.json === true);
    });

  keys
    .command('list')
    .description('list the keys in the keystore')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const entries = store().list();
      if (opts.json === true) {
        ctx.io.stdout(`${JSON.stringify(entries.map(describe), null, 2)}\n`);
        return;
      }
      if (entries.length === 0) {
        ctx.io.stdout('no keys (create one with: jadechain keys generate --name NAME)\n');
        return;
      }
      for (const e of entries) ctx.io.stdout(`${e.name.padEnd(20)} ${e.algorithm.padEnd(16)} ${e.address.toBase58()}\n`);
    });

  keys
    .command('show')
    .description('show one key: algorithm, public key, address (no password needed)')
    .argument('<name>', 'the key name')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }) => {
      print(ctx, store().show(name), opts.json === true);
    });
}
