import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import fp from 'fastify-plugin';
import { declaresBody } from '../inputs/declaresBody.js';

/**
 * How long a connection answered before its body was read keeps reading after the answer. Long
 * enough for a client that writes its whole body before it reads (most HTTP libraries) to finish
 * a few MB on a slow link and read the answer; short enough that a client sending for ever holds
 * a socket only briefly (Apache lingers 2 s per read and 30 s at most; nginx 5 s and 30 s).
 */
export const LINGER_MAX_MS = 5_000;
/**
 * How much is read and thrown away after the answer. A client refused for a large body is
 * usually still sending it; reading a few MB more lets most of those finish and read the answer,
 * without the relay taking in an upload's worth of bandwidth for nothing.
 */
const LINGER_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Lingering close. A request answered before its body was read (413, 415, a load-shedding 503,
 * an upload refused part-way) leaves unread bytes on the connection, so the connection must
 * close (`Connection: close`: the next request would be read from the middle of the body). But
 * a socket closed with unread bytes in its receive buffer makes the kernel send RST, not FIN,
 * and a client still sending then gets ECONNRESET and never reads the answer. So the answer is
 * sent, the sending side is closed (FIN), and what still arrives is read and thrown away, never
 * kept, until the client stops (the body ends, or the client closes), LINGER_MAX_BYTES have been
 * read, or LINGER_MAX_MS have passed; then the socket is destroyed.
 */
export default fp(
  async (app) => {
    // A callback hook, not an async one: it runs on every answer, and almost every answer
    // returns at the first test (GET state and a read ingestion body are complete), so it should
    // not cost a promise per request.
    app.addHook('onSend', (request, reply, payload, done) => {
      const req = request.raw;
      if (req.complete) return done(null, payload);
      const socket = req.socket;
      // A request without a body: nothing unread, the connection is reusable.
      const hasBody = declaresBody(req.headers);
      // Only a real connection (inject()'s is a stand-in with nothing to drain).
      if (hasBody && socket instanceof Socket && !socket.destroyed && !reply.raw.headersSent) {
        reply.header('connection', 'close');
        linger(req, socket);
      }
      done(null, payload);
    });
  },
  { name: 'relay-lingering-close' },
);

type LingeringSocket = Socket & { lingering?: boolean; destroySoon?: () => void };

/**
 * From the answer on, the rest of the body is read and thrown away (counted only). Node closes
 * the socket of a `Connection: close` answer with destroySoon(): end (FIN), and destroy once the
 * answer is written. This socket's destroySoon ends the same way, and destroys when the body
 * ends, the client closes, or a bound is reached.
 */
function linger(req: IncomingMessage, socket: LingeringSocket): void {
  if (socket.lingering) return;
  socket.lingering = true;
  let read = 0;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  let closing = false;
  const close = () => {
    clearTimeout(timer);
    req.removeListener('data', discard);
    socket.destroy();
  };
  // Destroyed once the answer is written: nothing is left unread then, so the client gets FIN.
  const closeWhenWritten = () => {
    if (socket.writableFinished) close();
    else socket.once('finish', close);
  };
  const discard = (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_MAX_BYTES) close();
  };
  // Whoever read the body has stopped: what arrives from now on is only counted.
  if (!req.destroyed) {
    req.removeAllListeners('data');
    req.removeAllListeners('readable');
    req.on('data', discard);
    req.once('end', () => {
      ended = true;
      if (closing) closeWhenWritten();
    });
    req.resume();
  }
  socket.destroySoon = () => {
    if (closing) return;
    closing = true;
    if (socket.writable) socket.end();
    // A destroyed request cannot be read through (the HTTP parser stops the socket when it cannot
    // push to it): closed as without lingering. So is one whose body has all arrived.
    if (req.destroyed || ended) return closeWhenWritten();
    timer = setTimeout(close, LINGER_MAX_MS);
    socket.once('close', () => clearTimeout(timer));
    // The client has stopped sending.
    socket.once('end', closeWhenWritten);
  };
}
