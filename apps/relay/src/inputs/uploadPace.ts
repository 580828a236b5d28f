import { Readable } from 'node:stream';
import { HttpError } from '../errors.js';

/**
 * How slowly a request body may arrive, every route's (plugins/bodyPace.ts): the JSON of the
 * signed webhook and the admin API, a sync-errors CSV, a forwarded e-mail. The relay's server sets
 * no request timeout (Fastify turns Node's off), so a client that sent its headers and then one
 * byte a minute, or nothing, held its connection (and a spool file) for as long as it liked and,
 * on shutdown, held the relay's drain until the forced exit: a slow-loris. As Apache's
 * mod_reqtimeout does, a body must keep coming: no pause longer than `idleMs`, and on average at
 * least `minBytesPerSecond` once `graceMs` have passed (a 19 MB export at 8 KB/s takes 40 minutes:
 * no real link is that slow). A long upload that keeps the pace is never cut; a body of N bytes
 * has at most `graceMs` + N / `minBytesPerSecond` (a 64 KB JSON body 68 s), which is why there is
 * no separate whole-request cap: one would have to be over 40 minutes for the CSV, and Node's
 * `requestTimeout` is one number for every route. Once the relay is closing, a pause of
 * `closingIdleMs` is enough: a client that stalls must not hold a shutdown that has 10 s in all.
 * Mutable for tests only.
 */
export const UPLOAD_PACE = {
  idleMs: 30_000,
  graceMs: 60_000,
  minBytesPerSecond: 8 * 1024,
  closingIdleMs: 1_000,
};

/**
 * A signed sync-errors upload is spooled whole before its signature can be checked
 * (routes/v1/syncErrors.ts), so anyone who knows a portal id can send one. The pace alone let such
 * an upload hold its spool file for hours: after a fast 100 MB, 60 s + 100 MB / 8 KB/s is 3.5 h
 * at a byte every 25 s, and four of them filled the default spool (503 SPOOL_BUSY for every
 * portal). Its whole body must therefore arrive within `deadlineMs`: 10 minutes is a 19 MB
 * (100,000-row) export at 32 KB/s, the 100 MB limit at 171 KB/s. An admin upload, authenticated
 * before its body, streams into the parser and keeps only the pace. Mutable for tests only.
 */
export const SIGNED_UPLOAD = { deadlineMs: 10 * 60_000 };

const tooSlow = (why: string) =>
  new HttpError(408, 'REQUEST_TIMEOUT', `the request body was not received in time: ${why}`);

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The chunks of a request body, failing with a 408 once it arrives too slowly (UPLOAD_PACE), and
 * with a 400 UPLOAD_ABORTED when the client goes away part-way (the stream's own error is an
 * ECONNRESET, which would be answered, and logged, as the relay's failure). Leaving early does
 * not destroy the request, so the answer's lingering close can still read the rest. Once
 * `closing` is aborted, a pause of `closingIdleMs` fails it (also the pause under way).
 */
async function* paced(
  body: AsyncIterable<Buffer>,
  pace: typeof UPLOAD_PACE = UPLOAD_PACE,
  closing?: AbortSignal,
): AsyncGenerator<Buffer> {
  const iterator = (body instanceof Readable ? body.iterator({ destroyOnReturn: false }) : body)[
    Symbol.asyncIterator
  ]() as AsyncIterator<Buffer>;
  const started = Date.now();
  let received = 0;
  for (;;) {
    const allowedUntil = started + pace.graceMs + (received / pace.minBytesPerSecond) * 1000;
    let timer: NodeJS.Timeout | undefined;
    let onClosing: (() => void) | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      const fail = (why: string, ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => reject(tooSlow(why)), Math.max(0, ms));
      };
      const wait = Math.min(pace.idleMs, allowedUntil - Date.now());
      const whenClosing = () =>
        fail(
          `the relay is closing and nothing arrived for ${seconds(pace.closingIdleMs)}`,
          Math.min(pace.closingIdleMs, allowedUntil - Date.now()),
        );
      if (closing?.aborted) return whenClosing();
      fail(
        wait < pace.idleMs
          ? `it arrived slower than ${pace.minBytesPerSecond} bytes a second`
          : `nothing arrived for ${seconds(pace.idleMs)}`,
        wait,
      );
      onClosing = whenClosing;
      closing?.addEventListener('abort', onClosing, { once: true });
    });
    let next: IteratorResult<Buffer>;
    try {
      next = await Promise.race([iterator.next(), timeout]);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const code = (error as { code?: unknown })?.code;
      if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE')
        throw new HttpError(
          400,
          'UPLOAD_ABORTED',
          'the request ended before its body was complete',
        );
      throw error;
    } finally {
      clearTimeout(timer);
      if (onClosing) closing?.removeEventListener('abort', onClosing);
    }
    if (next.done) return;
    received += next.value.length;
    yield next.value;
  }
}

/**
 * A request body as a stream that keeps the pace: what a preParsing hook hands on to the body
 * parser (or the route reading the stream itself). Nothing is read until the parser reads it, so
 * a route that refuses before its body (a wrong token, a 415) reads nothing. Fastify listens for
 * the body's error only while it reads it: past its limit it answers 413 and stops listening, but
 * the body reads on, and a stall (408) or the client leaving then failed it with no listener, an
 * uncaught 'error' event that ended the relay. While Fastify or a route reads, its own listener
 * still gets every error.
 */
export function pacedBody(payload: AsyncIterable<Buffer>, closing?: AbortSignal): Readable {
  const body = Readable.from(paced(payload, UPLOAD_PACE, closing), { objectMode: false });
  body.on('error', () => undefined);
  return body;
}
