import { connect, type Socket } from 'node:net';
import { UPLOAD_PACE } from '../src/inputs/uploadPace.js';
import { LINGER_MAX_MS } from '../src/plugins/lingeringClose.js';
import {
  ADMIN_TOKEN,
  createPortal,
  listen,
  signed,
  startTestRelay,
  waitFor,
  type TestRelay,
} from './helpers.js';

// A slow-loris on the JSON routes (the signed webhook, the admin API). Fastify sets Node's
// requestTimeout to 0, so a client that sent its headers (Content-Length: 1000) and then nothing,
// or a byte now and then, held its connection for ever and, once the relay was closing, held its
// drain until the forced exit. Every body now keeps the uploads' pace (plugins/bodyPace.ts),
// shortened here as in inputsReviewSlowUpload.test.ts; the shipped one allows 30 s of silence
// and 8 KB/s after a minute, and 1 s of silence once the relay is closing.

const portalId = '6630001';
const webhook = `/v1/portals/${portalId}/suspensions`;

interface Client {
  socket: Socket;
  /** Everything the relay sent so far. */
  text: () => string;
  /** Resolves with the answer (head and JSON body) once it has come. */
  answer: () => Promise<string>;
}

describe('a JSON body that does not keep its pace', () => {
  const shipped = { ...UPLOAD_PACE };
  let relay: TestRelay;
  let port = 0;
  let secret = '';
  const sockets: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
    port = Number(new URL(await listen(relay.app)).port);
  });
  beforeEach(() => {
    Object.assign(UPLOAD_PACE, { idleMs: 400, graceMs: 1000, minBytesPerSecond: 2000 });
  });
  afterEach(() => {
    Object.assign(UPLOAD_PACE, shipped);
    timers.splice(0).forEach(clearInterval);
    sockets.splice(0).forEach((socket) => socket.destroy());
  });
  afterAll(() => relay?.close());

  /**
   * Opens a connection and writes `head` (request line and headers, without the blank line) and
   * `first`.
   */
  function send(head: string, first: string, halfOpen = false): Client {
    // Half open, the client does not end its side when the relay ends its own, as a slow-loris
    // would not: the relay must close the connection itself.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: halfOpen });
    sockets.push(socket);
    let text = '';
    socket.on('data', (data) => (text += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write(`${head}\r\n\r\n${first}`);
    return {
      socket,
      text: () => text,
      answer: () => waitFor(() => /\r\n\r\n\{.*\}/s.test(text) && text, 15_000, 'an answer'),
    };
  }

  const signedHead = (length: number) => {
    const timestamp = Math.floor(Date.now() / 1000);
    // Over a body that never comes: the pace decides before any signature could.
    return (
      `POST ${webhook} HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${length}\r\nx-sync-doctor-timestamp: ${timestamp}\r\n` +
      `x-sync-doctor-signature: ${signed(secret, 'x', timestamp).headers['x-sync-doctor-signature']}`
    );
  };

  test('a signed webhook whose body stops after its first byte is a 408 in the API shape, and its socket is freed', async () => {
    const client = send(signedHead(1000), '{', true);
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<
      string,
      unknown
    >;
    expect(body).toEqual({
      statusCode: 408,
      code: 'REQUEST_TIMEOUT',
      error: 'the request body was not received in time: nothing arrived for 0.4 s',
    });
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    // The client never hangs up: the relay closes the connection itself, after its lingering
    // close's bound at the latest (this is the only connection open).
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        relay.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    expect(await connections()).toBe(1);
    await waitFor(
      async () => (await connections()) === 0,
      LINGER_MAX_MS + 2_000,
      'the relay to close the socket',
    );
    expect((await relay.app.store.listChanges(portalId, { limit: 10 })).items).toEqual([]);
  });

  test('a webhook that announces a body and sends none is a 408 too', async () => {
    const answer = await send(signedHead(1000), '').answer();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/"code":"REQUEST_TIMEOUT"/);
  });

  test('an admin API body trickled a byte every 50 ms is cut once it falls behind the pace', async () => {
    const client = send(
      `POST /v1/admin/portals HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n` +
        `Content-Length: 1000\r\nAuthorization: Bearer ${ADMIN_TOKEN}`,
      '{"id":"6630002","name":"',
    );
    timers.push(setInterval(() => client.socket.writable && client.socket.write('x'), 50));
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/slower than 2000 bytes a second/);
    const portal = await relay.app.inject({
      method: 'GET',
      url: '/v1/admin/portals/6630002',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(portal.statusCode).toBe(404);
  });

  test('a client that sends its body in parts with short pauses is answered as usual, and keeps its connection', async () => {
    const request = signed(secret, {
      reason: 'API_LIMIT_EXCEEDED',
      title: 'Salesforce org API limit exceeded',
      occurredAt: new Date().toISOString(),
      eventId: 'paced-1',
    });
    const payload = request.payload;
    const headers = Object.entries(request.headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    const client = send(
      `POST ${webhook} HTTP/1.1\r\nHost: relay\r\nContent-Length: ${payload.length}\r\n${headers}`,
      payload.slice(0, 10),
    );
    // Pauses shorter than the idle bound, within the grace period.
    await new Promise((resolve) => setTimeout(resolve, 150));
    client.socket.write(payload.slice(10, 40));
    await new Promise((resolve) => setTimeout(resolve, 150));
    client.socket.write(payload.slice(40));
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 202 /);
    expect(answer).not.toMatch(/\r\nconnection: close\r\n/i);
    // Past the idle bound, the kept-alive connection is still open and serves a GET.
    await new Promise((resolve) => setTimeout(resolve, UPLOAD_PACE.idleMs * 2));
    expect(client.socket.destroyed).toBe(false);
    const before = client.text().length;
    client.socket.write(`GET /health/live HTTP/1.1\r\nHost: relay\r\n\r\n`);
    await waitFor(
      () => /HTTP\/1\.1 200 /.test(client.text().slice(before)),
      5_000,
      'a second answer',
    );
  });

  test('a sync-errors upload that keeps the pace for longer than the grace period is not cut', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `Picklist,bad value ${i}\r\n`).join('');
    const csv = `Error type,Message\r\n${rows}`;
    const client = send(
      `POST /v1/portals/${portalId}/sync-errors HTTP/1.1\r\nHost: relay\r\nContent-Type: text/csv\r\n` +
        `Content-Length: ${csv.length}\r\nAuthorization: Bearer ${ADMIN_TOKEN}`,
      '',
    );
    // About 3,000 bytes a second for over the grace period. The bounds are looser than the other
    // tests' (3x the rate asked, 2 s of silence): a CI machine's pause of the event loop (the
    // client and the relay share it here) must not look like a slow client, as a 400 ms one did.
    Object.assign(UPLOAD_PACE, { idleMs: 2000, minBytesPerSecond: 1000 });
    let at = 0;
    const step = Math.ceil(csv.length / 30);
    timers.push(
      setInterval(() => {
        if (at >= csv.length || !client.socket.writable) return;
        client.socket.write(csv.slice(at, at + step));
        at += step;
      }, 50),
    );
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toMatch(/"rows":200/);
  });
});

describe('closing the relay while a JSON body stalls', () => {
  const shipped = { ...UPLOAD_PACE };
  afterEach(() => Object.assign(UPLOAD_PACE, shipped));

  test('does not wait for the client: it is answered 408 and the relay closes within its grace', async () => {
    // The shipped idle bound (30 s, over the 10 s the relay gives itself to close); a short one
    // once closing.
    Object.assign(UPLOAD_PACE, { closingIdleMs: 200 });
    const relay = await startTestRelay();
    // Half open: it never hangs up, whatever the relay does.
    const socket = connect({
      port: Number(new URL(await listen(relay.app)).port),
      host: '127.0.0.1',
      allowHalfOpen: true,
    });
    try {
      let text = '';
      socket.on('data', (data) => (text += data.toString('latin1')));
      socket.on('error', () => undefined);
      socket.write(
        `POST /v1/admin/portals HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n` +
          `Content-Length: 1000\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n\r\n{"id":`,
      );
      // The request is under way (its body is being read) when the relay is told to close.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      let closed = false;
      const closing = relay.close().then(() => (closed = true));
      await waitFor(() => /\r\n\r\n\{.*\}/s.test(text), 5_000, 'an answer');
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(text).toMatch(/the relay is closing and nothing arrived for 0\.2 s/);
      // Closed once the lingering close gives up on the silent client, well inside the 10 s.
      await waitFor(() => closed, LINGER_MAX_MS + 3_000, 'the relay to close');
      expect(Date.now() - started).toBeLessThan(LINGER_MAX_MS + 3_000);
      await closing;
    } finally {
      socket.destroy();
    }
  });
});
