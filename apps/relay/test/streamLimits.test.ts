import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import {
  createPortal,
  listen,
  signed,
  startTestRelay,
  waitFor,
  type TestRelay,
} from './helpers.js';
import { DatabaseConnectionError } from '../src/store/sqlDb.js';

// Server-Sent Event streams are long-lived: with RELAY_PUBLIC_READS=true anyone could open them
// without end. They are capped per client IP (429) and per instance (503), released on close, and
// a client that stops reading is dropped before its unread events pile up in memory.

const PORTAL = '7710001';

describe('event stream limits', () => {
  let relay: TestRelay;
  let base: string;
  let signingSecret: string;
  let port: number;
  const open: IncomingMessage[] = [];

  beforeAll(async () => {
    relay = await startTestRelay({
      publicReads: true,
      streams: { maxPerIp: 2, maxTotal: 3, maxBufferedBytes: 16 * 1024 },
      rateLimit: { perIpPerMinute: 100_000, perPortalPerMinute: 100_000 },
      // The test's own peer plays the load balancer (RELAY_TRUST_PROXY=loopback).
      trustProxy: 'loopback',
    });
    ({ signingSecret } = await createPortal(relay.app, PORTAL));
    base = await listen(relay.app);
    port = Number(new URL(base).port);
  });
  afterAll(async () => {
    for (const response of open) response.destroy();
    await relay.close();
  });

  /** Opens a stream as the client `ip` (the test's loopback peer is a trusted proxy); resolves with the answer's head. */
  const stream = (ip: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(
        `${base}/v1/portals/${PORTAL}/stream`,
        { headers: { 'x-forwarded-for': ip } },
        (response) => {
          if (response.statusCode === 200) open.push(response);
          resolve(response);
        },
      );
      req.on('error', reject);
      req.end();
    });
  const body = async (response: IncomingMessage) => {
    let text = '';
    for await (const chunk of response) text += String(chunk);
    return JSON.parse(text) as Record<string, unknown>;
  };

  it('answers 429 past the per-IP cap and 503 past the instance cap, in the API shape with Retry-After', async () => {
    expect((await stream('203.0.113.1')).statusCode).toBe(200);
    expect((await stream('203.0.113.1')).statusCode).toBe(200);
    const third = await stream('203.0.113.1');
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBe('30');
    expect(await body(third)).toMatchObject({ statusCode: 429, code: 'TOO_MANY_STREAMS' });

    expect((await stream('203.0.113.2')).statusCode).toBe(200);
    expect(relay.app.streams.count).toBe(3);
    const full = await stream('203.0.113.3');
    expect(full.statusCode).toBe(503);
    expect(full.headers['retry-after']).toBe('30');
    expect(await body(full)).toMatchObject({ statusCode: 503, code: 'TOO_MANY_STREAMS' });
  });

  // One IPv6 host usually has a whole /64 (SLAAC, privacy addresses): counted by address, it had
  // 2^64 budgets. Its addresses share the per-IP cap; another /64 has its own.
  it('counts IPv6 clients by their /64', async () => {
    for (const response of open.splice(0)) response.destroy();
    await waitFor(() => relay.app.streams.count === 0, 5000, 'every stream to be released');
    expect((await stream('2001:db8:1:2::a')).statusCode).toBe(200);
    expect((await stream('2001:db8:1:2:ffff:1:2:3')).statusCode).toBe(200);
    expect((await stream('2001:db8:1:2::c')).statusCode).toBe(429);
    expect((await stream('2001:db8:1:3::1')).statusCode).toBe(200);
    for (const response of open.splice(0)) response.destroy();
    await waitFor(() => relay.app.streams.count === 0, 5000, 'every stream to be released');
    // The state before this test, for the next.
    expect((await stream('203.0.113.1')).statusCode).toBe(200);
    expect((await stream('203.0.113.1')).statusCode).toBe(200);
    expect((await stream('203.0.113.2')).statusCode).toBe(200);
  });

  it('frees the slots when streams close', async () => {
    open.shift()!.destroy();
    await waitFor(() => relay.app.streams.count === 2, 5000, 'a closed stream to be released');
    expect((await stream('203.0.113.1')).statusCode).toBe(200);
    for (const response of open.splice(0)) response.destroy();
    await waitFor(() => relay.app.streams.count === 0, 5000, 'every stream to be released');
    // A refused request took no slot: the caps are whole again.
    expect((await stream('203.0.113.1')).statusCode).toBe(200);
    expect((await stream('203.0.113.1')).statusCode).toBe(200);
    expect((await stream('203.0.113.9')).statusCode).toBe(200);
    for (const response of open.splice(0)) response.destroy();
    await waitFor(() => relay.app.streams.count === 0, 5000, 'every stream to be released');
  });

  it('frees the slot of a stream whose opening read failed, or whose client left while it was read', async () => {
    const store = relay.app.store;
    const realGetStatus = store.getStatus.bind(store);
    // The database goes away twice: each opening answers 503, and gives back the slot it took.
    const getStatus = jest
      .spyOn(store, 'getStatus')
      .mockRejectedValueOnce(new DatabaseConnectionError(new Error('connect ECONNREFUSED')))
      .mockRejectedValueOnce(new DatabaseConnectionError(new Error('connect ECONNREFUSED')));
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const failed = await stream('192.0.2.50');
        expect(failed.statusCode).toBe(503);
        expect(await body(failed)).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      }
      // A client that hangs up while its opening is read: nothing is streamed to it.
      let reading!: () => void;
      const entered = new Promise<void>((resolve) => (reading = resolve));
      let proceed!: () => void;
      const held = new Promise<void>((resolve) => (proceed = resolve));
      getStatus.mockImplementationOnce(async (portalId) => {
        reading();
        await held;
        return realGetStatus(portalId);
      });
      let serverSide: Socket | undefined;
      relay.app.server.once('request', (request: IncomingMessage) => (serverSide = request.socket));
      const leaving = httpRequest(`${base}/v1/portals/${PORTAL}/stream`, {
        headers: { 'x-forwarded-for': '192.0.2.50' },
      });
      leaving.on('error', () => undefined);
      leaving.end();
      // A slot the failures kept would refuse it at once (429), before any reading.
      await Promise.race([
        entered,
        new Promise((_resolve, reject) =>
          leaving.on('response', (response) =>
            reject(new Error(`answered ${response.statusCode} before its opening was read`)),
          ),
        ),
      ]);
      leaving.destroy();
      await waitFor(() => serverSide?.destroyed, 5000, 'the relay to see the client leave');
      proceed();
      await waitFor(() => getStatus.mock.calls.length === 3, 5000, 'the opening to be read');
    } finally {
      getStatus.mockRestore();
    }
    // All three slots came back: the address has its whole cap again.
    const opens = async () => {
      const response = await stream('192.0.2.50');
      if (response.statusCode !== 200) response.resume();
      return response.statusCode === 200;
    };
    await waitFor(opens, 5000, 'the leaving client to free its slot');
    expect(await opens()).toBe(true);
    expect(relay.app.streams.count).toBe(2);
    for (const response of open.splice(0)) response.destroy();
    await waitFor(() => relay.app.streams.count === 0, 5000, 'every stream to be released');
  });

  it('drops a client that does not read once its unread output passes the limit', async () => {
    // A raw socket that sends the request and then never reads: the kernel's buffers fill, then Node's.
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /v1/portals/${PORTAL}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n`,
    );
    socket.pause();
    await waitFor(() => relay.app.streams.count === 1, 5000, 'the stream to open');
    // Beside it, a client that reads every event: the same burst must not drop it.
    const reading = await stream('198.51.100.8');
    let received = 0;
    reading.on('data', (chunk: Buffer) => (received += chunk.length));
    const message = 'x'.repeat(20_000);
    let sent = 0;
    while (relay.app.streams.dropped === 0) {
      if (sent >= 20_000) throw new Error(`the stream was never dropped (${sent} signals sent)`);
      const answer = await relay.app.inject({
        method: 'POST',
        url: `/v1/portals/${PORTAL}/suspensions`,
        ...signed(signingSecret, {
          reason: sent % 2 ? 'ORG_LOCKED' : 'API_LIMIT_EXCEEDED',
          title: `slow ${sent}`,
          message,
          occurredAt: new Date().toISOString(),
          eventId: `slow-${sent}`,
        }),
      });
      expect(answer.statusCode).toBe(202);
      sent++;
    }
    expect(relay.app.streams.count).toBe(1);
    expect(received).toBeGreaterThan(16 * 1024);
    expect(sent).toBeGreaterThan(1);
    // The dropped client's slot is free again.
    expect((await stream('198.51.100.7')).statusCode).toBe(200);
    socket.destroy();
  });
});
