import { connect } from 'node:net';
import fc from 'fast-check';
import { signPayload } from '../src/crypto/signature.js';
import { ADMIN_TOKEN, listen } from './helpers.js';
import { fuzzParameters, startFuzzRelay, type FuzzRelay } from './fuzzHarness.js';

// app.inject skips Node's HTTP parser; this suite does not. Generated raw requests on a real
// socket: request lines of any method, target and version, duplicated and contradicting
// Content-Length and Transfer-Encoding, malformed chunks, header names and values Node refuses,
// folded and oversized headers, bare CR or LF line ends. Each is answered in the API's shape below
// 500 or closed unanswered (a request that never ends), the log holds no secret and no stack, and
// the relay serves on.

jest.setTimeout(600_000);

const PORTAL = 'fuzz-socket';

/** Sends the bytes, half-closes, and reads whatever comes back until the server closes. */
async function exchange(port: number, bytes: Buffer): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve());
  });
  socket.end(bytes);
  // A request still waiting for its body past the half-close: the server ends it itself; never wait long.
  const timer = setTimeout(() => socket.destroy(), 5000);
  await done;
  clearTimeout(timer);
  return Buffer.concat(chunks).toString('latin1');
}

const token = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'),
  fc.constantFrom('get', 'G ET', 'PRI', '', 'POST\u0000', 'FOO', 'M-SEARCH', 'PROPFIND'),
);

const target = (portal: string) =>
  fc.oneof(
    fc.constantFrom(
      `/v1/portals/${portal}/suspensions`,
      `/v1/portals/${portal}/clear`,
      `/v1/portals/${portal}/sync-errors`,
      `/v1/portals/${portal}/state`,
      `/v1/portals/${portal}/history?cursor=%FF`,
      '/v1/inbound/email',
      '/v1/admin/portals',
      '/health',
      '/metrics',
      '/docs',
      '*',
      'http://example.com/health',
      '//health',
      '/health#frag',
      '/v1/portals/a b/state',
      `/v1/portals/${'9'.repeat(9000)}/state`,
      '/v1/portals/\u00e9/state',
      '/%',
      '',
      '/v1/../../etc/passwd',
    ),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => '/' + s),
  );

const headerLine = fc.oneof(
  fc.constantFrom(
    'Content-Type: application/json',
    'Content-Type: application/json; charset=utf-8',
    'Content-Type: text/csv',
    'Content-Type: message/rfc822',
    'Content-Type: multipart/form-data; boundary=x',
    'Content-Length: 0',
    'Content-Length: 5',
    'Content-Length: -1',
    'Content-Length: 1e3',
    'Content-Length: 99999999999999999999',
    'Content-Length: 5, 6',
    'Transfer-Encoding: chunked',
    'Transfer-Encoding: chunked, identity',
    'Transfer-Encoding: gzip',
    'Transfer-Encoding: xchunked',
    'Expect: 100-continue',
    'Expect: nonsense',
    'Connection: close',
    'Connection: keep-alive, Upgrade',
    'Upgrade: websocket',
    `Authorization: Bearer ${ADMIN_TOKEN}`,
    'Authorization: Bearer wrong-token-wrong-token',
    'X-Sync-Doctor-Timestamp: 0',
    'X-Sync-Doctor-Signature: v1=00',
    'X-Sync-Doctor-Token: nope',
    'X-Forwarded-For: 999.1.1.1',
    ' folded: continuation',
    'Bad Name: x',
    'Nul: a\u0000b',
    ':',
    'NoColon',
    'Host: ',
    'Host: a, b',
    'X-Big: ' + 'b'.repeat(20_000),
    'X-Big: ' + 'b'.repeat(15_000),
  ),
  fc
    .tuple(
      fc.string({ unit: 'binary-ascii', maxLength: 12 }),
      fc.string({ unit: 'binary-ascii', maxLength: 30 }),
    )
    .map(([name, value]) => `${name}: ${value}`),
);

const requestBytes = (portal: string, secret: () => string) =>
  fc
    .record({
      method: token,
      target: target(portal),
      version: fc.constantFrom(
        'HTTP/1.1',
        'HTTP/1.1',
        'HTTP/1.0',
        'HTTP/2.0',
        'HTTP/1.1 extra',
        'HTTP/9',
        '',
      ),
      host: fc.boolean(),
      headers: fc.array(headerLine, { maxLength: 6 }),
      eol: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
      body: fc.oneof(
        fc.constant(''),
        fc.constantFrom(
          '{"occurredAt":"2026-11-28T10:00:00Z","eventId":"s","reason":"ORG_LOCKED"}',
          '5\r\nhello\r\n0\r\n\r\n',
          'zz\r\nhello\r\n0\r\n\r\n',
          'ffffffffffffffff\r\nx\r\n',
          '5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n',
          'Error type,Object\nField permission,Contact\n',
        ),
        fc.string({ unit: 'binary', maxLength: 100 }),
      ),
      sign: fc.boolean(),
      pipeline: fc.boolean(),
    })
    .map((r) => {
      const lines = [`${r.method} ${r.target} ${r.version}`.trimEnd()];
      if (r.host) lines.push('Host: 127.0.0.1');
      lines.push(...r.headers);
      if (r.sign) {
        const ts = Math.floor(Date.now() / 1000);
        lines.push(`X-Sync-Doctor-Timestamp: ${ts}`);
        lines.push(`X-Sync-Doctor-Signature: ${signPayload(secret(), ts, r.body)}`);
      }
      const head = lines.join(r.eol) + r.eol + r.eol;
      const one = Buffer.from(head + r.body, 'latin1');
      // A second request behind the first on the same connection.
      return r.pipeline
        ? Buffer.concat([one, Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\n\r\n')])
        : one;
    });

describe('fuzzing the HTTP parser and what follows it, on a real socket', () => {
  let relay: FuzzRelay;
  let port: number;
  beforeAll(async () => {
    relay = await startFuzzRelay(PORTAL);
    port = Number(new URL(await listen(relay.app)).port);
  });
  afterAll(() => relay?.close());

  test('every answer below 500, in the API shape, no secret or stack (seed 6161, 300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        requestBytes(PORTAL, () => relay.secret()),
        async (bytes) => {
          const logBefore = relay.logs.text().length;
          const raw = await exchange(port, bytes);
          const where =
            JSON.stringify(bytes.toString('latin1').slice(0, 300)) + ' -> ' + raw.slice(0, 400);
          // Every answer on the connection (a pipelined one may follow).
          for (const match of raw.matchAll(
            /HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n/g,
          )) {
            const status = Number(match[1]);
            expect([where, status < 500 || status === 503]).toEqual([where, true]);
          }
          if (raw) expect([where, raw.startsWith('HTTP/1.')]).toEqual([where, true]);
          expect([where, /\bat .+\.(ts|js):\d+/.test(raw)]).toEqual([where, false]);
          const first = /^HTTP\/1\.[01] (\d{3})[\s\S]*?\r\n\r\n(\{[^\r\n]*?\})(?=HTTP\/|$)/.exec(
            raw,
          );
          if (first && Number(first[1]) >= 400) {
            const body = JSON.parse(first[2]!) as Record<string, unknown>;
            expect([where, typeof body.code, typeof body.error]).toEqual([
              where,
              'string',
              'string',
            ]);
          }
          const lines = relay.logs.text().slice(logBefore);
          for (const secret of relay.secrets) {
            expect([where, raw.includes(secret)]).toEqual([where, false]);
            expect([where, 'log', lines.includes(secret)]).toEqual([where, 'log', false]);
          }
        },
      ),
      fuzzParameters(6161, 300),
    );
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBeLessThan(500);
  });
});
