import { Readable } from 'node:stream';
import { HttpError } from '../errors.js';

/**
 * How slowly an upload's body may arrive. The relay's server sets no request timeout (Fastify
 * turns Node's off), so a client that sent its headers and then one byte a minute held its
 * connection, its spool file and, on shutdown, the relay's drain for as long as it liked: a
 * slow-loris. As Apache's mod_reqtimeout does, a body must keep coming: no pause longer than
 * `idleMs`, and on average at least `minBytesPerSecond` once `graceMs` have passed (a 19 MB
 * export at 8 KB/s takes 40 minutes: no real link is that slow). Mutable for tests only.
 */
export const UPLOAD_PACE = {
  idleMs: 30_000,
  graceMs: 60_000,
  minBytesPerSecond: 8 * 1024,
};

const tooSlow = (why: string) =>
  new HttpError(408, 'REQUEST_TIMEOUT', `the upload was not received in time: ${why}`);

/**
 * The chunks of a request body, failing with a 408 once it arrives too slowly (UPLOAD_PACE), and
 * with a 400 UPLOAD_ABORTED when the client goes away part-way (the stream's own error is an
 * ECONNRESET, which would be answered, and logged, as the relay's failure). Leaving early does
 * not destroy the request, so the answer's lingering close can still read the rest.
 */
export async function* paced(
  body: AsyncIterable<Buffer>,
  pace: typeof UPLOAD_PACE = UPLOAD_PACE,
): AsyncGenerator<Buffer> {
  const iterator = (body instanceof Readable ? body.iterator({ destroyOnReturn: false }) : body)[
    Symbol.asyncIterator
  ]() as AsyncIterator<Buffer>;
  const started = Date.now();
  let received = 0;
  for (;;) {
    const allowedUntil = started + pace.graceMs + (received / pace.minBytesPerSecond) * 1000;
    const wait = Math.min(pace.idleMs, allowedUntil - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            tooSlow(
              wait < pace.idleMs
                ? `it arrived slower than ${pace.minBytesPerSecond} bytes a second`
                : `nothing arrived for ${Math.round(pace.idleMs / 1000)} seconds`,
            ),
          ),
        Math.max(0, wait),
      );
    });
    let next: IteratorResult<Buffer>;
    try {
      next = await Promise.race([iterator.next(), timeout]);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const code = (error as { code?: unknown })?.code;
      if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE')
        throw new HttpError(400, 'UPLOAD_ABORTED', 'the upload ended before its body was complete');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (next.done) return;
    received += next.value.length;
    yield next.value;
  }
}
