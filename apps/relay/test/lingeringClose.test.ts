import { connect } from 'node:net';
import { signPayload } from '../src/crypto/signature.js';
import { LINGER_MAX_MS } from '../src/plugins/lingeringClose.js';
import {
  ADMIN_TOKEN,
  createPortal,
  listen,
  startTestRelay,
  waitFor,
  type TestRelay,
} from './helpers.js';

// A refusal sent before the whole body was read (413, 415, a shedding 503, a CSV refused part-way)
// must reach the client. Closing a socket with unread bytes in its receive buffer makes the
// kernel send RST, not FIN, and a client still sending then fails its write (EPIPE, ECONNRESET):
// one that writes its whole body before it reads (most HTTP libraries) never reads the answer.
// These clients use raw sockets (node:net) so they can keep sending after the answer, as real
// clients do, and 6 MB: on loopback the kernel buffers take ~4 MB, so only a larger remainder
// is still being written when the RST arrives.

const PORTAL = '7720001';
const MB = 1024 * 1024;
const CSV_LIMIT = 256 * 1024;

interface Exchange {
  /** Everything the server sent. */
  text: string;
  /** The status line, headers and a body as long as its Content-Length were all received. */
  complete: boolean;
  /** How the connection ended for the client: the server's FIN, or an error (ECONNRESET, EPIPE). */
  ending: string[];
  /**
   * Every byte of the body was written without error: a client that sends its whole body before
   * it reads (most HTTP libraries) would have gone on to read the answer.
   */
  sentAll: boolean;
  /** The answer was complete before the connection broke (when it did). */
  answeredBeforeError: boolean;
  status: number;
  json: Record<string, unknown> | null;
}

/**
 * Sends `head` and then body bytes, `total` of them (Infinity: never stops), as fast as the
 * socket takes them or one `chunk` every `everyMs`; keeps sending after the answer arrives, and
 * resolves when the server has closed the connection.
 */
function exchange(
  port: number,
  head: string,
  options: { total: number; chunk?: number; everyMs?: number; fill?: string },
): Promise<Exchange> {
  const chunk = Buffer.alloc(options.chunk ?? 64 * 1024, options.fill ?? 'a');
  return new Promise((resolve) => {
    // Half-open allowed: the server's FIN ends what it sends, not what the client may still send
    // (a Node socket would otherwise stop writing at the FIN, which real clients do not).
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const received: Buffer[] = [];
    const ending: string[] = [];
    let sent = 0;
    let done = false;
    let answeredBeforeError = true;
    let sentAll = false;
    let timer: NodeJS.Timeout | undefined;
    // A server that never closes (keeps the connection alive, or stops reading) fails the test
    // with this, rather than hanging it and every test after it.
    const giveUp = setTimeout(() => {
      ending.push('the server never closed');
      socket.destroy();
    }, 3 * LINGER_MAX_MS);
    const parse = () => {
      const text = Buffer.concat(received).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return { text, complete: false, status: 0, json: null };
      const headers = text.slice(0, split);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? NaN);
      const body = text.slice(split + 4);
      const complete = body.length === length;
      let json: Record<string, unknown> | null;
      try {
        json = complete ? (JSON.parse(body) as Record<string, unknown>) : null;
      } catch {
        json = null;
      }
      return { text, complete, status: Number(headers.split(' ')[1]), json };
    };
    const send = () => {
      while (!done && sent < options.total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, options.total - sent));
        sent += piece.length;
        const last = sent === options.total;
        const flushed = socket.write(piece, (error) => {
          if (last && !error) {
            sentAll = true;
            socket.end();
          }
        });
        if (!flushed) return void socket.once('drain', send);
        if (options.everyMs) return void (timer = setTimeout(send, options.everyMs));
      }
    };
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('end', () => {
      ending.push('FIN');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      ending.push(error.code ?? error.message);
      if (!parse().complete) answeredBeforeError = false;
    });
    socket.on('close', () => {
      if (process.env.LINGER_MEASURE) console.log({ sent, ending });
      done = true;
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve({ ...parse(), ending, sentAll, answeredBeforeError });
    });
    socket.on('connect', () => {
      socket.write(head);
      send();
    });
  });
}

const post = (url: string, type: string, length: number, extra = '') =>
  `POST ${url} HTTP/1.1\r\nhost: relay\r\ncontent-type: ${type}\r\ncontent-length: ${length}\r\n${extra}\r\n`;

describe('lingering close: an early refusal reaches a client that is still sending', () => {
  let relay: TestRelay;
  let base: string;
  let port: number;
  let secret: string;

  beforeAll(async () => {
    relay = await startTestRelay({
      rateLimit: { perIpPerMinute: 100_000, perPortalPerMinute: 100_000 },
      limits: {
        jsonBodyBytes: 64 * 1024,
        emailBodyBytes: 256 * 1024,
        emailKeepBytes: 1024,
        csvBodyBytes: CSV_LIMIT,
      },
    });
    ({ signingSecret: secret } = await createPortal(relay.app, PORTAL));
    base = await listen(relay.app);
    port = Number(new URL(base).port);
  });
  afterAll(() => relay.close());

  /** The relay still answers a normal request on a new connection. */
  const stillHealthy = async () => {
    const answer = await fetch(`${base}/health/live`);
    expect(answer.status).toBe(200);
  };

  const expectAnswered = (result: Exchange, status: number, code: string) => {
    expect({ status: result.status, complete: result.complete }).toEqual({
      status,
      complete: true,
    });
    expect(result.json).toMatchObject({ statusCode: status, code });
    expect(result.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(result.answeredBeforeError).toBe(true);
  };

  test('413 for a JSON body of several MB sent at once: the answer is read, then a clean close', async () => {
    const total = 6 * MB;
    const result = await exchange(
      port,
      post(`/v1/portals/${PORTAL}/suspensions`, 'application/json', total),
      { total },
    );
    expectAnswered(result, 413, 'BODY_TOO_LARGE');
    // Under the drain's byte bound, the whole body is read and discarded: the server's FIN, no reset.
    expect(result.sentAll).toBe(true);
    expect(result.ending).toEqual(['FIN']);
    await stillHealthy();
  });

  test('415 for a wrong media type with a large body sent slowly', async () => {
    const total = 6 * MB;
    const result = await exchange(
      port,
      post(`/v1/portals/${PORTAL}/suspensions`, 'application/xml', total),
      { total, chunk: 256 * 1024, everyMs: 5 },
    );
    expectAnswered(result, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(result.sentAll).toBe(true);
    expect(result.ending).toEqual(['FIN']);
    await stillHealthy();
  });

  test('a client that never stops sending is cut off at the byte bound, after it has the answer', async () => {
    const result = await exchange(
      port,
      post(`/v1/portals/${PORTAL}/suspensions`, 'application/json', 1024 * MB),
      { total: Infinity },
    );
    expectAnswered(result, 413, 'BODY_TOO_LARGE');
    // The answer and the server's FIN, then the connection broken while the client still writes.
    expect(result.ending).toEqual(['FIN', expect.stringMatching(/^(EPIPE|ECONNRESET)$/)]);
    await stillHealthy();
  });

  test('a client that trickles for ever is cut off at the time bound, after it has the answer', async () => {
    const result = await exchange(
      port,
      post(`/v1/portals/${PORTAL}/suspensions`, 'application/xml', 1024 * MB),
      { total: Infinity, chunk: 1024, everyMs: 20 },
    );
    expectAnswered(result, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(result.ending).toEqual(['FIN', expect.stringMatching(/^(EPIPE|ECONNRESET)$/)]);
    await stillHealthy();
  });

  test('a signed sync-errors upload over the CSV limit, refused part-way while spooling', async () => {
    const total = 6 * MB;
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signPayload(secret, timestamp, Buffer.from('not the body'));
    const result = await exchange(
      port,
      post(
        `/v1/portals/${PORTAL}/sync-errors`,
        'text/csv',
        total,
        `x-sync-doctor-timestamp: ${timestamp}\r\nx-sync-doctor-signature: ${signature}\r\n`,
      ),
      { total, fill: 'x' },
    );
    expectAnswered(result, 413, 'BODY_TOO_LARGE');
    expect(result.sentAll).toBe(true);
    expect(result.ending).toEqual(['FIN']);
    await stillHealthy();
  });

  test('an admin sync-errors upload over the CSV limit, refused part-way while parsing', async () => {
    const total = 6 * MB;
    const header = 'Error type,Object,Field,Record ID,Error message\r\n';
    const result = await exchange(
      port,
      post(
        `/v1/portals/${PORTAL}/sync-errors`,
        'text/csv',
        header.length + total,
        `authorization: Bearer ${ADMIN_TOKEN}\r\n`,
      ) + header,
      { total, fill: 'Property mapping,Contact,Industry,003,"a value"\r\n' },
    );
    expectAnswered(result, 413, 'BODY_TOO_LARGE');
    expect(result.sentAll).toBe(true);
    expect(result.ending).toEqual(['FIN']);
    await stillHealthy();
  });
});

describe('lingering close: a request shed under load (503) before its body is read', () => {
  test('the 503 reaches a client still sending several MB; the relay answers afterwards', async () => {
    // A heap limit of one byte: under pressure from the first sample on, deterministically.
    const relay = await startTestRelay({ maxHeapUsedBytes: 1, pressureSampleIntervalMs: 10 });
    try {
      await relay.app.portals.create({ id: PORTAL });
      const base = await listen(relay.app);
      await waitFor(
        async () =>
          (await relay.app.inject({ method: 'GET', url: `/v1/portals/${PORTAL}/state` }))
            .statusCode === 503,
        5000,
        'the first sample over the limit',
      );
      const total = 6 * MB;
      const result = await exchange(
        Number(new URL(base).port),
        post(`/v1/portals/${PORTAL}/suspensions`, 'application/json', total),
        { total },
      );
      expect({ status: result.status, complete: result.complete }).toEqual({
        status: 503,
        complete: true,
      });
      expect(result.json).toMatchObject({ statusCode: 503, code: 'UNDER_PRESSURE' });
      expect(result.text).toMatch(/\r\nconnection: close\r\n/i);
      expect(result.sentAll).toBe(true);
      expect(result.ending).toEqual(['FIN']);
      // Without a close, a client that never stops would be read (Node discards what follows an
      // answer on a kept-alive connection) for as long as it sends: cut off at the bound.
      const endless = await exchange(
        Number(new URL(base).port),
        post(`/v1/portals/${PORTAL}/suspensions`, 'application/json', 1024 * MB),
        { total: Infinity },
      );
      expect([endless.status, endless.complete, endless.answeredBeforeError]).toEqual([
        503,
        true,
        true,
      ]);
      expect(endless.ending).toEqual(['FIN', expect.stringMatching(/^(EPIPE|ECONNRESET)$/)]);
      // Liveness is never shed: the relay took the refused connections in its stride.
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    } finally {
      await relay.close();
    }
  });
});
