import fp from 'fastify-plugin';
import { pacedBody } from '../inputs/uploadPace.js';
import { declaresBody } from '../inputs/declaresBody.js';

/**
 * Every request body keeps a pace (inputs/uploadPace.ts), on every route: the signed webhook's and
 * the admin API's JSON as much as a CSV upload or a forwarded e-mail. Fastify sets no request
 * timeout, so without it a client that sent its headers and then nothing, or a byte every 20 s,
 * held its connection for ever, and a shutdown until the forced exit. A body that stalls is a 408
 * in the API's error shape, answered with a lingering close (plugins/lingeringClose.ts) that frees
 * the socket; once the relay is closing, a shorter pause is enough. A request without a body (a
 * GET) is handed on as it is.
 */
export default fp(
  async (app) => {
    const closing = new AbortController();
    app.addHook('preClose', (done) => {
      closing.abort();
      done();
    });
    // A callback hook: it runs on every request, and most have no body.
    app.addHook('preParsing', (request, _reply, payload, done) => {
      done(null, declaresBody(request.headers) ? pacedBody(payload, closing.signal) : payload);
    });
  },
  { name: 'relay-body-pace' },
);
