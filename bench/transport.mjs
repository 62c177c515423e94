// Benchmarks the node transport (packages/p2p) over one loopback TLS 1.3 connection with
// Ed25519 transport keys. Build first: npx tsc -b packages/p2p
//
//   node bench/transport.mjs
//   TRANSPORT_BENCH_SCALE=0.2 node bench/transport.mjs     (fewer frames, for a quick look)
//
// Prints one-way frames/s and MB/s (payload bytes) for 200-byte and 4 KiB bodies, sent as fast
// as back-pressure allows and counted when the receiver's handler has seen the last one, and
// request/response round trips/s with one request in flight and with 64 in flight. Client and
// server share one process (and its event loop), as a gateway and peer would not: a real pair
// of processes has a core each. Numbers on a shared machine are noisy.
import { performance } from 'node:perf_hooks';
import { cryptoSuite } from '@jadechain/crypto';
import { connect, createNodeCredentials, Router, TransportKey, TransportServer } from '../packages/p2p/dist/src/index.js';

const SCALE = Number(process.env.TRANSPORT_BENCH_SCALE ?? 1);
const quiet = { info() {}, warn() {} };
const ONE_WAY = 1;
const ECHO = 2;

async function node(role) {
  const identity = cryptoSuite.generateKeyPair('ED25519');
  const transportKey = await TransportKey.generate('ED25519', role);
  const now = Date.now();
  return { identity, credentials: createNodeCredentials({ identityPrivateKey: identity.privateKey, transportKey, role, notBefore: now - 60_000, notAfter: now + 3_600_000 }) };
}

function rate(count, milliseconds) {
  return Math.round((count * 1000) / milliseconds).toLocaleString('en-US');
}

const peer = await node('PEER');
const gateway = await node('GATEWAY');
let received = 0;
let allReceived = () => {};
let expected = 0;
const router = new Router()
  .onMessage(ONE_WAY, () => {
    received += 1;
    if (received === expected) allReceived();
  })
  .onRequest(ECHO, (body) => body);
const server = new TransportServer({
  credentials: peer.credentials,
  authorize: ({ identityKey }) => identityKey.equals(gateway.identity.publicKey),
  router,
  logger: quiet,
});
const { port } = await server.listen(0, '127.0.0.1');
const client = await connect({
  host: '127.0.0.1',
  port,
  credentials: gateway.credentials,
  authorize: ({ identityKey }) => identityKey.equals(peer.identity.publicKey),
  logger: quiet,
});

async function oneWay(bodyBytes, count, label = '') {
  const body = new Uint8Array(bodyBytes).fill(0x5a);
  received = 0;
  expected = count;
  const done = new Promise((resolve) => (allReceived = resolve));
  const started = performance.now();
  for (let sent = 0; sent < count; ) {
    if (client.send(ONE_WAY, body)) sent += 1;
    else await client.drained();
  }
  await done;
  const ms = performance.now() - started;
  const megabytes = (count * bodyBytes) / (1024 * 1024);
  console.log(`one-way ${String(bodyBytes).padStart(4)}-byte bodies: ${rate(count, ms)} frames/s, ${((megabytes * 1000) / ms).toFixed(1)} MB/s (${count.toLocaleString('en-US')} frames)${label}`);
}

async function roundTrips(inFlight, count) {
  const body = new Uint8Array(64).fill(0x33);
  const started = performance.now();
  let next = 0;
  async function worker() {
    while (next < count) {
      next += 1;
      await client.request(ECHO, body);
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  const ms = performance.now() - started;
  console.log(`request/response, 64-byte bodies, ${String(inFlight).padStart(2)} in flight: ${rate(count, ms)} round trips/s`);
}

try {
  await oneWay(200, Math.round(200_000 * SCALE), ', warm-up');
  await oneWay(200, Math.round(500_000 * SCALE));
  await oneWay(4096, Math.round(100_000 * SCALE));
  await roundTrips(1, Math.round(20_000 * SCALE));
  await roundTrips(64, Math.round(200_000 * SCALE));
  const { framesIn, framesOut, bytesIn, bytesOut } = server.metrics.snapshot();
  console.log(`server counters: framesIn ${framesIn}, framesOut ${framesOut}, bytesIn ${bytesIn}, bytesOut ${bytesOut}`);
} finally {
  await client.close();
  await server.close();
}
