// The four workloads of issue 9: what each needs on the ledger before the run (set up through
// the gateway), and the one operation of its i-th transaction (built in the signing workers).
import { Address, PrivKey, cryptoSuite } from '@jadechain/crypto';
import { TransactionBuilder, Values } from '@jadechain/sdk';
import { TransactionRequest } from '@jadechain/types';
import { submitOnce } from './http-client.mjs';

export const WORKLOADS = ['kv', 'kv2', 'register', 'token'];
export const WORKLOAD_TITLES = {
  kv: 'KV write, one signer',
  kv2: 'KV write, two signers',
  register: 'user registration',
  token: 'token transfer (contract)',
};

/** Data accounts the KV writes spread over, round robin; as many token recipients. */
const DATA_ACCOUNTS = 16;
const TOKEN_SOURCE = new URL('../../examples/contracts/token/token.ts', import.meta.url).pathname;
const TOKEN_SUPPLY = 10n ** 15n;
const encoder = new TextEncoder();

/** A key pair derived from a label, so the set-up and the workers agree without passing keys around. */
export function derivedKey(label) {
  const privateKey = new PrivKey('ED25519', cryptoSuite.hash('SHA256', encoder.encode(label)).raw);
  return { privateKey, publicKey: cryptoSuite.publicKeyOf(privateKey) };
}

/** The i-th transaction's operation under `plan` (plain data, so that it crosses to the workers). */
export function operationOf(plan, index) {
  switch (plan.workload) {
    case 'kv':
    case 'kv2': {
      const account = Address.fromBase58(plan.accounts[index % plan.accounts.length]);
      return { type: 'KvSet', account, writes: [{ key: `${plan.tag}-${index}`, value: Values.text(`value ${index}`), expectedVersion: -1n }] };
    }
    case 'register': {
      const { publicKey } = derivedKey(`${plan.tag}/user/${index}`);
      return { type: 'UserRegister', address: publicKey.address(), pubKey: publicKey };
    }
    case 'token': {
      const to = plan.accounts[index % plan.accounts.length];
      return { type: 'ContractInvoke', address: Address.fromBase58(plan.contract), method: 'transfer', args: [Values.text(plan.store), Values.text(to), Values.int64(1n)] };
    }
    default:
      throw new Error(`no transactions for workload ${plan.workload}`);
  }
}

export class WorkloadUnavailable extends Error {
  constructor(message) {
    super(message);
    this.code = 'WORKLOAD_UNAVAILABLE';
  }
}

/**
 * Prepares the ledger for a workload and answers the plain-data part of its plan (signers as
 * key bytes, accounts as base58). Every set-up transaction must commit with SUCCESS.
 */
export async function prepareWorkload(workload, { client, ledgerHash, admin }) {
  const ledger = ledgerHash.toBase58();
  const commit = async (label, build) => {
    const request = build(new TransactionBuilder({ ledgerHash })).sign(cryptoSuite, [admin]);
    const result = await submitOnce(client, ledger, 'binary', TransactionRequest.encode(request));
    if (result.outcome !== 'committed' || result.state !== 'SUCCESS') {
      throw new SetupFailure(`set-up "${label}" did not commit: ${JSON.stringify(result)}`, result.state);
    }
  };
  switch (workload) {
    case 'kv':
    case 'kv2': {
      // Each workload writes to accounts of its own, registered here (the network is fresh each run).
      const accounts = Array.from({ length: DATA_ACCOUNTS }, (_, index) => derivedKey(`bench-tps/${ledger}/${workload}/account/${index}`).publicKey);
      await commit('data accounts', (builder) => accounts.reduce((b, pubKey) => b.registerDataAccount(pubKey), builder));
      const signers = [admin];
      if (workload === 'kv2') signers.push(await cosigner(ledger, commit));
      return { workload, signers: signers.map((key) => key.toBytes()), accounts: accounts.map((pubKey) => pubKey.address().toBase58()) };
    }
    case 'register':
      return { workload, signers: [admin.toBytes()], accounts: [] };
    case 'token':
      return prepareToken(ledger, commit, admin);
    default:
      throw new Error(`unknown workload ${workload}`);
  }
}

/**
 * The example token deployed, with a data account for its balances and an event account, and
 * initialised with the whole supply on the administrator, who then transfers 1 per transaction.
 * Unavailable (not faked) when the ledger cannot run contracts.
 */
async function prepareToken(ledger, commit, admin) {
  let buildContract;
  try {
    ({ buildContract } = await import('@jadechain/contracts'));
  } catch (error) {
    throw new WorkloadUnavailable(`token: not available (contracts not wired: ${error.message})`);
  }
  const contract = derivedKey(`bench-tps/${ledger}/token`).publicKey;
  const store = derivedKey(`bench-tps/${ledger}/token-store`).publicKey;
  const events = derivedKey(`bench-tps/${ledger}/token-events`).publicKey;
  const code = encoder.encode(buildContract(TOKEN_SOURCE).code);
  await commit('token deployment', (builder) => builder.deployContract(contract, code, 'JAVASCRIPT').registerDataAccount(store).registerEventAccount(events));
  const [storeText, eventsText] = [store.address().toBase58(), events.address().toBase58()];
  try {
    await commit('token init', (builder) => builder.invokeContract(contract.address(), 'init', [Values.text(storeText), Values.text(eventsText), Values.int64(TOKEN_SUPPLY)]));
  } catch (error) {
    if (error instanceof SetupFailure && error.state === 'CONTRACT_EXECUTION_UNAVAILABLE') throw new WorkloadUnavailable('token: not available (contracts not wired)');
    throw error;
  }
  const recipients = Array.from({ length: DATA_ACCOUNTS }, (_, index) => derivedKey(`bench-tps/${ledger}/holder/${index}`).publicKey.address().toBase58());
  return { workload: 'token', signers: [admin.toBytes()], accounts: recipients, contract: contract.address().toBase58(), store: storeText };
}

class SetupFailure extends Error {
  constructor(message, state) {
    super(message);
    this.code = 'SETUP_FAILED';
    this.state = state;
  }
}

/** A second user with the ADMIN role, to co-sign the kv2 workload. */
async function cosigner(ledger, commit) {
  const { privateKey, publicKey } = derivedKey(`bench-tps/${ledger}/cosigner`);
  const address = publicKey.address();
  await commit('co-signer', (builder) =>
    builder.registerUser(publicKey).authorizeUsers([{ userAddresses: [address], policy: 'UNION', authorizeRoles: ['ADMIN'], unauthorizeRoles: [] }]),
  );
  return privateKey;
}
