// Creates a data account, writes a value under a key, and reads it back.
// Run with `node docs/examples/write-and-read.mjs` while `npx jadechain up` is running.
import { cryptoSuite } from '@jadechain/crypto';
import { GatewayClient, TransactionBuilder, Values } from '@jadechain/sdk';
import { adminKey, gatewayUrl, ledgerHash } from './network.mjs';

const client = new GatewayClient(gatewayUrl);

// A data account is known by the address of a key pair of its own.
const account = cryptoSuite.generateKeyPair('ED25519').publicKey;

const request = new TransactionBuilder({ ledgerHash })
  .registerDataAccount(account)
  .setKv(account.address(), 'greeting', Values.text('hello, JadeChain'))
  .sign(cryptoSuite, [adminKey()]);

// Waits for the commit; if the gateway stops waiting first, asks for the transaction by its hash.
const result = await client.submitAndWait(request);
console.log(`transaction ${result.transactionHash}: ${result.state} in block ${result.blockHeight}`);

const [entry] = await client.kvValues(ledgerHash, account.address(), ['greeting']);
console.log(`greeting = ${JSON.stringify(entry.value)} (version ${entry.version})`);
console.log(`account ${account.address().toBase58()}`);
