import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cryptoSuite } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import { LmdbStore } from '@jadechain/storage';
import { LedgerInitProposal, LedgerInitSignature, initProposalHash } from '@jadechain/types';
import { CliError } from '../errors.js';
import { parseInitConfig } from '../init-config.js';
import { resolvePassword } from '../password.js';
import type { CommandContext } from '../context.js';
import { KEYSTORE_OPTION_HELP, openKeystore } from '../keystore.js';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `cannot read ${what} ${file}: ${(err as Error).message}`);
  }
}

function parseWith<T>(file: string, what: string, parse: (text: string) => T): T {
  const text = readText(file, what);
  try {
    return parse(text);
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `${what} ${file} is not valid: ${(err as Error).message}`);
  }
}

function readProposal(file: string): LedgerInitProposal {
  return parseWith(file, 'proposal', (text) => LedgerInitProposal.fromJsonText(text));
}

function proposalHash(proposal: LedgerInitProposal): string {
  return initProposalHash(cryptoSuite, proposal.settings.crypto.hashAlgorithm, proposal).toBase58();
}

/** A genesis file: the proposal and every founder's signature, from which any peer rebuilds block 0. */
export interface GenesisFile {
  readonly ledgerHash: string;
  readonly proposal: unknown;
  readonly signatures: unknown[];
}

export function registerLedgerCommands(program: Command, ctx: CommandContext): void {
  const ledger = program
    .command('ledger')
    .description('create a ledger with several organisations: propose, sign offline, combine');

  ledger
    .command('init-propose')
    .description('turn an init file into the canonical proposal every organisation signs')
    .requiredOption('--config <file>', 'the init file (JSON; see docs/cli.md)')
    .requiredOption('--out <file>', 'where to write the proposal')
    .action((opts: { config: string; out: string }) => {
      const params = parseInitConfig(parseWith(opts.config, 'init file', (text) => JSON.parse(text) as unknown));
      const proposal = createInitProposal(params);
      writeFileSync(opts.out, `${LedgerInitProposal.toJsonText(proposal)}\n`);
      ctx.io.stdout(`proposal     ${opts.out}\nproposalHash ${proposalHash(proposal)}\n`);
      for (const p of proposal.participants) ctx.io.stdout(`participant  ${p.id} ${p.name} ${p.address.toBase58()}\n`);
    });

  ledger
    .command('init-sign')
    .description("sign a proposal with one organisation's key, offline")
    .requiredOption('--proposal <file>', 'the proposal from init-propose')
    .requiredOption('--key <name>', 'the key in the keystore (a participant of the proposal)')
    .requiredOption('--out <file>', 'where to write the signature')
    .option('--keystore <dir>', KEYSTORE_OPTION_HELP)
    .option('--password-file <file>', 'read the key password from the first line of this file')
    .action(async (opts: { proposal: string; key: string; out: string; keystore?: string; passwordFile?: string }) => {
      const proposal = readProposal(opts.proposal);
      const keystore = openKeystore(ctx, opts.keystore);
      const entry = keystore.show(opts.key);
      const participant = proposal.participants.find((p) => p.pubKey.equals(entry.publicKey));
      if (participant === undefined) {
        throw new CliError('BAD_ARGUMENT', `key ${opts.key} (${entry.address.toBase58()}) is not a participant of this proposal`);
      }
      const password = await resolvePassword(ctx.io, { passwordFile: opts.passwordFile, confirm: false });
      const signature = signInitProposal(cryptoSuite, proposal, keystore.unlock(opts.key, password));
      writeFileSync(opts.out, `${LedgerInitSignature.toJsonText(signature)}\n`);
      ctx.io.stdout(`signed       ${proposalHash(proposal)}\nas           ${participant.name} ${entry.address.toBase58()}\nsignature    ${opts.out}\n`);
    });

  ledger
    .command('init-combine')
    .description("check every organisation's signature and build the genesis block")
    .requiredOption('--proposal <file>', 'the proposal from init-propose')
    .requiredOption('--signature <file...>', 'the signatures from init-sign, one per participant')
    .option('--out <file>', 'write the genesis file (proposal + signatures) for the peers')
    .option('--data <dir>', 'also create the ledger in this LMDB folder')
    .action(async (opts: { proposal: string; signature: string[]; out?: string; data?: string }) => {
      const proposal = readProposal(opts.proposal);
      const signatures = opts.signature.map((file) => parseWith(file, 'signature', (text) => LedgerInitSignature.fromJsonText(text)));
      const genesis = combineInit(cryptoSuite, proposal, signatures);
      if (opts.out !== undefined) {
        const file: GenesisFile = {
          ledgerHash: genesis.ledgerHash.toBase58(),
          proposal: LedgerInitProposal.toJson(proposal),
          signatures: signatures.map((s) => LedgerInitSignature.toJson(s)),
        };
        writeFileSync(opts.out, `${JSON.stringify(file, null, 2)}\n`);
      }
      if (opts.data !== undefined) {
        const store = LmdbStore.open(opts.data);
        try {
          await Ledger.initialize(store, genesis, { suite: cryptoSuite });
        } finally {
          await store.close();
        }
      }
      ctx.io.stdout(`ledgerHash   ${genesis.ledgerHash.toBase58()}\n`);
      if (opts.out !== undefined) ctx.io.stdout(`genesis      ${opts.out}\n`);
      if (opts.data !== undefined) ctx.io.stdout(`data         ${opts.data}\n`);
    });
}
