import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ProxyMesh } from '../src/mesh.js';
import { DROP, LinkProxy, PASS, delay } from '../src/proxy.js';

/** An echo server on loopback that also counts the connections that reached it. */
async function echoServer(): Promise<{ server: Server; port: number; reached: () => number }> {
  let reached = 0;
  const server = createServer((socket) => {
    reached += 1;
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, reached: () => reached };
}

async function dial(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
  return socket;
}

/** Everything the socket receives until `expected` bytes arrived; rejects if the socket closes first. */
function receive(socket: Socket, expected: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      if (text.length >= expected) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(text)}`)));
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('LinkProxy', () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  before(async () => {
    echo = await echoServer();
  });
  after(() => echo.server.close());

  test('pass forwards both directions, in order, and counts the bytes', async () => {
    const link = await LinkProxy.open({ host: '127.0.0.1', port: echo.port });
    try {
      const socket = await dial(link.port);
      const message = 'abcdefghij'.repeat(10_000);
      const answer = receive(socket, message.length);
      socket.write(message);
      assert.equal(await answer, message);
      assert.equal(link.statistics.bytesForwarded, 2 * message.length);
      assert.equal(link.statistics.bytesDropped, 0);
      socket.destroy();
    } finally {
      await link.close();
    }
  });

  test('delay holds every chunk in each direction for the set time and keeps the order across a switch back to pass', async () => {
    const link = await LinkProxy.open({ host: '127.0.0.1', port: echo.port });
    try {
      const socket = await dial(link.port);
      link.setMode(delay(150));
      const answer = receive(socket, 6);
      const sent = Date.now();
      socket.write('one');
      await pause(20);
      // Back to pass while "one" is still held: "two" must not overtake it.
      link.setMode(PASS);
      socket.write('two');
      assert.equal(await answer, 'onetwo');
      // Out and back: at least one delay on the way out (the echo comes back undelayed after the switch).
      assert.ok(Date.now() - sent >= 150, `answered after ${Date.now() - sent} ms`);
      socket.destroy();
    } finally {
      await link.close();
    }
  });

  test('drop swallows bytes and new connections; healing resets the damaged connections and traffic flows again', async () => {
    const link = await LinkProxy.open({ host: '127.0.0.1', port: echo.port });
    try {
      const before = await dial(link.port);
      const echoed = receive(before, 2);
      before.write('ok');
      assert.equal(await echoed, 'ok');

      link.setMode(DROP);
      const reachedBefore = echo.reached();
      let lost = '';
      before.on('data', (chunk: Buffer) => (lost += chunk.toString('utf8')));
      before.write('lost');
      const during = await dial(link.port);
      during.write('also lost');
      await pause(100);
      assert.equal(lost, '', 'nothing crosses a partition');
      assert.equal(echo.reached(), reachedBefore, 'a connection made during the partition never reaches the target');
      assert.ok(link.statistics.bytesDropped >= 'lost'.length + 'also lost'.length);

      link.setMode(PASS);
      await Promise.all([closed(before), closed(during)]);
      const afterwards = await dial(link.port);
      const answer = receive(afterwards, 5);
      afterwards.write('again');
      assert.equal(await answer, 'again');
      afterwards.destroy();
    } finally {
      await link.close();
    }
  });

  test('a connection that lost nothing survives a partition', async () => {
    const link = await LinkProxy.open({ host: '127.0.0.1', port: echo.port });
    try {
      const socket = await dial(link.port);
      link.setMode(DROP);
      link.setMode(PASS);
      const answer = receive(socket, 4);
      socket.write('kept');
      assert.equal(await answer, 'kept');
      socket.destroy();
    } finally {
      await link.close();
    }
  });

  test('a target that is down closes the proxied connection, as a refused connection would', async () => {
    const down = await echoServer();
    await new Promise<void>((resolve) => down.server.close(() => resolve()));
    const link = await LinkProxy.open({ host: '127.0.0.1', port: down.port });
    try {
      const socket = await dial(link.port);
      await closed(socket);
      assert.equal(link.connections, 0);
    } finally {
      await link.close();
    }
  });
});

test('ProxyMesh isolates one node: its links in both directions drop, the others pass', async () => {
  const targets = await Promise.all([echoServer(), echoServer(), echoServer()]);
  const mesh = await ProxyMesh.open(targets.map((target) => ({ host: '127.0.0.1', port: target.port })));
  try {
    mesh.isolate(1);
    for (let from = 0; from < 3; from++) {
      for (let to = 0; to < 3; to++) {
        if (from === to) continue;
        const expected = from === 1 || to === 1 ? 'drop' : 'pass';
        assert.equal(mesh.link(from, to).mode.kind, expected, `${from}→${to}`);
      }
    }
    const socket = await dial(mesh.portFor(0, 2));
    const answer = receive(socket, 2);
    socket.write('hi');
    assert.equal(await answer, 'hi');
    socket.destroy();
    mesh.heal();
    assert.equal(mesh.link(1, 0).mode.kind, 'pass');
    mesh.setAll(delay(10));
    assert.equal(mesh.link(2, 1).mode.kind, 'delay');
    assert.throws(() => mesh.link(0, 0), /no proxied link/);
  } finally {
    await mesh.close();
    for (const target of targets) target.server.close();
  }
});
