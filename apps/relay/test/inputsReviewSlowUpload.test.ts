import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { signPayload } from '../src/crypto/signature.js';
import { UPLOAD_PACE } from '../src/inputs/uploadPace.js';
import {
  ADMIN_TOKEN,
  captureLogs,
  createPortal,
  listen,
  startTestRelay,
  tempDir,
  testConfig,
  waitFor,
  type TestRelay,
} from './helpers.js';

// A slow-loris on the sync-errors upload: headers, then a body that never quite comes. The relay's
// server has no request timeout, so without a pace of its own the upload held its connection (and
// a spool file) for as long as the client kept trickling. The pace is shortened here; the shipped
// one allows 30 s of silence and 8 KB/s after a minute.

/**
 * For the enclosing describe: a listening relay with portal `portalId`, the pace shortened for its
 * tests and restored after them, and each test's sockets and timers ended after it. The fields are
 * set once beforeAll has run.
 */
function slowClientRelay(portalId: string, overrides: Parameters<typeof startTestRelay>[0] = {}) {
  const shipped = { ...UPLOAD_PACE };
  const setup = {
    relay: undefined as unknown as TestRelay,
    port: 0,
    portal: undefined as unknown as Awaited<ReturnType<typeof createPortal>>,
    sockets: [] as Socket[],
    timers: [] as NodeJS.Timeout[],
  };
  beforeAll(async () => {
    setup.relay = await startTestRelay(overrides);
    setup.portal = await createPortal(setup.relay.app, portalId);
    setup.port = Number(new URL(await listen(setup.relay.app)).port);
    Object.assign(UPLOAD_PACE, { idleMs: 400, graceMs: 400, minBytesPerSecond: 2000 });
  });
  afterEach(() => {
    setup.timers.splice(0).forEach(clearInterval);
    setup.sockets.splice(0).forEach((socket) => socket.destroy());
  });
  afterAll(async () => {
    Object.assign(UPLOAD_PACE, shipped);
    await setup.relay.close();
  });
  return setup;
}

describe('a sync-errors upload that arrives too slowly', () => {
  const portalId = '6620001';
  const url = `/v1/portals/${portalId}/sync-errors`;
  const setup = slowClientRelay(portalId);

  /** Sends the head and `first`, then `trickle` (if any) every 50 ms; resolves with what came back. */
  function upload(headers: string, first: string, trickle?: string) {
    const socket = connect(setup.port, '127.0.0.1');
    setup.sockets.push(socket);
    let answer = '';
    socket.on('data', (data) => (answer += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write(
      `POST ${url} HTTP/1.1\r\nHost: relay\r\nContent-Type: text/csv\r\nContent-Length: 10000000\r\n${headers}\r\n${first}`,
    );
    if (trickle !== undefined)
      setup.timers.push(setInterval(() => socket.writable && socket.write(trickle), 50));
    return waitFor(() => /\r\n\r\n\{.*\}/s.test(answer) && answer, 15_000, 'an answer');
  }
  const signedHeaders = () => {
    const timestamp = Math.floor(Date.now() / 1000);
    // Over a body that never ends: the pace decides before any signature could.
    return `x-sync-doctor-timestamp: ${timestamp}\r\nx-sync-doctor-signature: ${signPayload(setup.portal.signingSecret, timestamp, 'x')}\r\n`;
  };

  test('an admin upload trickling a byte at a time is cut off with a 408', async () => {
    const answer = await upload(
      `Authorization: Bearer ${ADMIN_TOKEN}\r\n`,
      'Error type,Message\r\n',
      'x',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/"code":"REQUEST_TIMEOUT"/);
    expect(answer).toMatch(/slower than 2000 bytes a second/);
    expect(await setup.relay.app.store.latestSyncErrorReport(portalId)).toBeNull();
  });

  test('a signed upload that stalls part-way is cut off with a 408, and its spool file goes', async () => {
    const answer = await upload(signedHeaders(), 'Error type,Message\r\nabc,def\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/nothing arrived for/);
    const spool = join(setup.relay.app.config.dataDir, 'spool');
    await waitFor(() => readdirSync(spool).length === 0, 10_000, 'the spool file removed');
    expect(await setup.relay.app.store.latestSyncErrorReport(portalId)).toBeNull();
  });

  test('an upload sent at once is not disturbed', async () => {
    const body = 'Error type,Message\r\nPicklist,bad value\r\n';
    const response = await setup.relay.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().report.rows).toBe(1);
  });
});

describe('an admin upload the client abandons part-way', () => {
  test('is no failure of the relay: nothing stored, and no "request failed" error logged', async () => {
    const logs = captureLogs({ level: 'info' });
    const dir = tempDir();
    const app = await buildApp(testConfig(dir.path), { loggerInstance: logs.logger });
    try {
      await app.ready();
      await createPortal(app, '6620002');
      const port = Number(new URL(await listen(app)).port);
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST /v1/portals/6620002/sync-errors HTTP/1.1\r\nHost: relay\r\nContent-Type: text/csv\r\n` +
          `Content-Length: 1000000\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n\r\nError type,Message\r\nabc,def\r\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      // The error handler's line for this request: a 4xx at info, or a failure at error.
      const ended = await waitFor(
        () =>
          logs
            .entries()
            .find((entry) => entry.code === 'UPLOAD_ABORTED' || entry.msg === 'request failed'),
        10_000,
        'the request to end',
      );
      expect(ended).toMatchObject({ code: 'UPLOAD_ABORTED', status: 400 });
      expect(logs.entries().filter((entry) => entry.level >= 50)).toEqual([]);
      expect(await app.store.latestSyncErrorReport('6620002')).toBeNull();
    } finally {
      await app.close();
      dir.remove();
    }
  });
});

describe('POST /v1/inbound/email before its body has come', () => {
  const setup = slowClientRelay('6620003');

  /** A form of `length` bytes announced, its start sent, then `trickle` every 50 ms (if any). */
  function send(path: string, length: number, trickle?: string) {
    const socket = connect(setup.port, '127.0.0.1');
    setup.sockets.push(socket);
    let answer = '';
    socket.on('data', (data) => (answer += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: relay\r\nContent-Type: message/rfc822\r\n` +
        `Content-Length: ${length}\r\n\r\nFrom: someone@example.com\r\n`,
    );
    if (trickle !== undefined)
      setup.timers.push(setInterval(() => socket.writable && socket.write(trickle), 50));
    return waitFor(() => /\r\n\r\n\{.*\}/s.test(answer) && answer, 15_000, 'an answer');
  }

  test('a wrong or missing token is a 401 at once, without waiting for (and holding) a 5 MB body', async () => {
    const wrong = await send('/v1/inbound/email?token=sdin_not-a-token', 5_000_000);
    expect(wrong).toMatch(/^HTTP\/1\.1 401 /);
    expect(wrong).toMatch(/"code":"TOKEN_INVALID"/);
    const none = await send('/v1/inbound/email/mime', 5_000_000);
    expect(none).toMatch(/"code":"TOKEN_MISSING"/);
  });

  test('a message trickled a byte at a time with the right token is cut off with a 408, nothing kept', async () => {
    const answer = await send(
      `/v1/inbound/email?token=${setup.portal.inboundToken}`,
      5_000_000,
      'x',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/"code":"REQUEST_TIMEOUT"/);
    expect((await setup.relay.app.store.listChanges('6620003', { limit: 10 })).items).toEqual([]);
  });

  test('a token sent twice in the query is refused, not a 500', async () => {
    const response = await setup.relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${setup.portal.inboundToken}&token=${setup.portal.inboundToken}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: 'From: someone@example.com\r\nSubject: hello\r\n\r\nhi\r\n',
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});

describe('POST /v1/inbound/email refused as too large while its body still comes', () => {
  // Past the route's limit Fastify answers 413 and stops listening to the paced body, which goes
  // on reading: a stall (408) or a client leaving (UPLOAD_ABORTED) then failed it with no one
  // listening, an 'error' event without a listener, which ends the process.
  const base = testConfig('unused').limits;
  const setup = slowClientRelay('6620004', { limits: { ...base, emailBodyBytes: 1024 } });

  test('a client that stalls or goes away after the 413 does not bring the relay down', async () => {
    const answers: string[] = [];
    for (const then of ['stall', 'leave'] as const) {
      const socket = connect(setup.port, '127.0.0.1');
      setup.sockets.push(socket);
      let answer = '';
      socket.on('data', (data) => (answer += data.toString('latin1')));
      socket.on('error', () => undefined);
      const chunk = 'x'.repeat(100_000);
      socket.write(
        `POST /v1/inbound/email?token=${setup.portal.inboundToken} HTTP/1.1\r\nHost: relay\r\n` +
          `Content-Type: message/rfc822\r\nTransfer-Encoding: chunked\r\n\r\n` +
          `${chunk.length.toString(16)}\r\n${chunk}\r\n`,
      );
      answers.push(
        await waitFor(() => /\r\n\r\n\{.*\}/s.test(answer) && answer, 15_000, 'an answer'),
      );
      if (then === 'leave') socket.destroy();
    }
    expect(answers.map((answer) => answer.split('\r\n')[0])).toEqual([
      'HTTP/1.1 413 Payload Too Large',
      'HTTP/1.1 413 Payload Too Large',
    ]);
    // Past the pace's idle time: the stalled body has failed by now, the left one at once.
    await new Promise((resolve) => setTimeout(resolve, UPLOAD_PACE.idleMs * 3));
    const health = await setup.relay.app.inject({ method: 'GET', url: '/health/live' });
    expect(health.statusCode).toBeLessThan(500);
  });
});
