// The bench's HTTP client against Node's own HTTP server on loopback: answers with a length and
// chunked, errors, reuse of kept-alive connections, and a server that hangs up.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { HttpClient, parseResponse } from './http-client.mjs';

let server;
let baseUrl;
const connections = new Set();

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/echo') res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], bytes: [...body] }));
      else if (req.url === '/chunked') {
        res.write('{"parts":');
        res.end('[1,2]}');
      } else if (req.url === '/hang-up') req.socket.destroy();
      else if (req.url === '/close') res.writeHead(200, { connection: 'close' }).end('{"closing":true}');
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
    });
  });
  server.on('connection', (socket) => connections.add(socket));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

test('posts the bytes as they are and parses the JSON answer', async () => {
  const client = new HttpClient(baseUrl);
  try {
    const answer = await client.send('POST', '/echo', Buffer.from([0, 1, 255]), 'application/octet-stream');
    assert.deepEqual(answer, { status: 200, body: { method: 'POST', type: 'application/octet-stream', bytes: [0, 1, 255] } });
  } finally {
    client.close();
  }
});

test('reads chunked answers and keeps non-JSON ones as an error envelope', async () => {
  const client = new HttpClient(baseUrl);
  try {
    assert.deepEqual(await client.get('/chunked'), { status: 200, body: { parts: [1, 2] } });
    assert.deepEqual(await client.get('/missing'), { status: 404, body: { success: false, error: { errorMessage: 'no such thing' } } });
  } finally {
    client.close();
  }
});

test('reuses a kept-alive connection and opens no more than maxSockets', async () => {
  connections.clear();
  const client = new HttpClient(baseUrl, { maxSockets: 2 });
  try {
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.get('/echo')));
    assert.ok(answers.every((answer) => answer.status === 200));
    await client.get('/echo');
    assert.equal(connections.size, 2);
  } finally {
    client.close();
  }
});

test('a hang-up rejects that request only; a connection: close answer is honoured', async () => {
  const client = new HttpClient(baseUrl, { maxSockets: 1 });
  try {
    await assert.rejects(client.get('/hang-up'), /closed the connection|ECONNRESET/);
    // The second waits for the only connection, which the first answer closes: it gets a new one.
    const [closing, after] = await Promise.all([client.get('/close'), client.get('/echo')]);
    assert.deepEqual(closing, { status: 200, body: { closing: true } });
    assert.equal(after.status, 200);
  } finally {
    client.close();
  }
});

test('parseResponse waits for the whole answer and refuses what is not HTTP', () => {
  const whole = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}');
  assert.equal(parseResponse(whole.subarray(0, 20)), undefined);
  assert.equal(parseResponse(whole.subarray(0, whole.length - 1)), undefined);
  assert.deepEqual(parseResponse(whole), { status: 200, text: '{}', close: false });
  assert.throws(() => parseResponse(Buffer.from('SMTP ready\r\n\r\n')), /not an HTTP\/1.1 status line/);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n')), /is not a length/);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), /without content-length or chunked/);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n{}')), /more than the answer/);
});
