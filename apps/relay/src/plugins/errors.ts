import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preParsingAsyncHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, badRequest } from '../errors.js';
import { assertJsonShape } from '../inputs/jsonShape.js';
import {
  DatabaseConnectionError,
  storageFailure,
  storeBusy,
  writeConflict,
} from '../store/sqlDb.js';
import { InvalidCursorError } from '../store/sqlStore.js';
import { PortalGoneError } from '../store/types.js';
import { API_SECURITY_HEADERS, setApiSecurityHeaders } from './security.js';
import { declaresBody } from '../inputs/declaresBody.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, kept for signature checks. */
    rawBody?: Buffer;
  }
  interface FastifyContextConfig {
    /** Media types a route accepts; anything else is a 415 before validation. */
    contentTypes?: string[];
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Why JSON.parse refused a body, without the body's text. V8 quotes the text around an unexpected
 * token (`Unexpected token 'h', ..."password": hunter2}"... is not valid JSON`, the whole body when
 * it is short): a secret left unquoted in an admin body went into the answer and, as the 400's
 * message, into the log. Its other messages give a position only, and are kept.
 */
function jsonParseProblem(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  return /^Unexpected token\b/.test(message) && / is not valid JSON$/.test(message)
    ? 'unexpected character'
    : message;
}

/**
 * The values an enum allows, for the message: Ajv says only "must be equal to one of the allowed
 * values", and a sender should not have to read `details` or /docs to learn them (the reason codes,
 * a delivery state). Short lists only; they are the schema's, never the request's.
 */
function allowedValues(validation: unknown): string {
  const first = (Array.isArray(validation) ? validation[0] : undefined) as
    { keyword?: string; params?: { allowedValues?: unknown } } | undefined;
  const values = first?.keyword === 'enum' ? first.params?.allowedValues : undefined;
  return Array.isArray(values) && values.length <= 20 ? ` (${values.join(', ')})` : '';
}

/** Turns what Fastify and its plugins throw into one response shape with a clear message. */
function classify(error: FastifyError & { validation?: unknown; validationContext?: string }): {
  status: number;
  code: string;
  message: string;
  details?: unknown;
} {
  if (error instanceof HttpError)
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      details: error.details,
    };
  if (error instanceof DatabaseConnectionError)
    return {
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: 'the relay cannot reach its database just now; try again shortly',
    };
  // A full disk (SQLITE_FULL, PostgreSQL's disk_full) or one failing writes (SQLITE_IOERR): the
  // transaction was rolled back, the change was not acknowledged, and sent again it is stored once
  // space returns (a duplicate is recognised by its event id). A 503 is the truth and what senders
  // (HubSpot, a mail forwarder) retry; a 500 said the request itself broke the relay.
  const storage = storageFailure(error);
  if (storage)
    return {
      status: 503,
      code: 'STORAGE_UNAVAILABLE',
      message: `the relay cannot write to its store just now (${storage === 'full' ? 'its disk is full' : 'its disk failed a write'}); try again later`,
    };
  // Two transactions wanted the same rows (an operator's own session, most likely) and PostgreSQL
  // rolled this one back on every attempt the store made (store/postgres.ts), or a lock timeout
  // set on the relay's role ended its wait. A request of one transaction kept nothing; one of several
  // (the admin's new connection, then its resume) kept the steps before, and each step is safe to
  // repeat: sent again, the request completes. A 500 said the request broke the relay, and some
  // senders do not retry one.
  if (writeConflict(error))
    return {
      status: 503,
      code: 'DATABASE_CONFLICT',
      message:
        'another transaction held the rows this request needed, so the database rolled back its work; send the same request again to complete it',
    };
  // The SQLite file's write lock, held past the relay's wait for it by a connection that is not the
  // relay's (docs/storage.md asks for `sqlite3 -readonly`). Nothing of the write was kept; once
  // the lock is free the same request completes. A 500 said the request broke the relay.
  if (storeBusy(error))
    return {
      status: 503,
      code: 'DATABASE_BUSY',
      message:
        "another connection to the relay's SQLite store (an sqlite3 session or a tool writing to it) held its write lock for longer than the relay waits, so this request's write was not made; send the same request again",
    };
  if (error instanceof InvalidCursorError)
    return { status: 400, code: 'INVALID_CURSOR', message: error.message };
  // Deleted while the request was under way (it passed the portal check before the deletion).
  if (error instanceof PortalGoneError)
    return { status: 404, code: 'UNKNOWN_PORTAL', message: error.message };
  if (error.validation) {
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: `invalid ${error.validationContext ?? 'request'}: ${error.message}${allowedValues(error.validation)}`,
      details: error.validation,
    };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'unsupported Content-Type for this route',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'BODY_TOO_LARGE',
        message: 'request body is larger than this route accepts',
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'INVALID_CONTENT_LENGTH',
        message: 'Content-Length does not match the body',
      };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return { status, code: error.code ?? 'BAD_REQUEST', message: error.message };
  if (status === 503)
    return {
      status,
      code: error.code ?? 'SERVICE_UNAVAILABLE',
      message: error.message || 'service unavailable, try again later',
    };
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'the relay failed to handle this request; it has been logged',
  };
}

/** What Fastify finds wrong before routing (Fastify's `frameworkErrors` option), in the relay's words. */
function classifyFrameworkError(error: FastifyError): {
  status: number;
  code: string;
  message: string;
} {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return {
        status: 400,
        code: 'BAD_URL',
        message: 'the URL has a malformed percent-encoding (%XX)',
      };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        status: 414,
        code: 'URL_TOO_LONG',
        message: 'a part of the URL path is longer than the relay accepts',
      };
    default:
      return classify(error);
  }
}

/**
 * Fastify's `frameworkErrors` option: errors raised before any route matched (a malformed URL)
 * answered in the API's shape, `{ statusCode, code, error }`, with its security headers.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { status, code, message } = classifyFrameworkError(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code, status }, message);
  setApiSecurityHeaders(reply);
  void reply.status(status).send({ statusCode: status, code, error: message });
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'the request was not received in time',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'the request headers are larger than the relay accepts',
  },
  HPE_INVALID_METHOD: {
    status: 400,
    code: 'UNKNOWN_METHOD',
    message: 'the request method is not an HTTP method',
  },
};
const secureHead = Object.entries(API_SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

/**
 * Fastify's `clientErrorHandler` option: a request Node's HTTP parser refuses (an unknown method,
 * oversized headers, a malformed request line) never reaches Fastify; answer it in the API's
 * shape rather than Fastify's default, then close the connection as Node does.
 */
export function answerClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, message } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    code: 'MALFORMED_REQUEST',
    message: 'the request is not valid HTTP',
  };
  // Usually a scanner or a misconfigured balancer: worth a trace, not a line per probe.
  this.log.trace({ err: error }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({ statusCode: status, code, error: message });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${secureHead}connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** One error handler, one not-found handler, and the JSON body parser that keeps the raw bytes. */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { status, code, message, details } = classify(error);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code, status }, message);
      if (reply.raw.headersSent) return;
      // An unknown path's answer (a 429 from the not-found handler's limiter) is JSON like the API's.
      if (request.is404) setApiSecurityHeaders(reply);
      if (code === 'DATABASE_UNAVAILABLE') reply.header('retry-after', '5');
      if (code === 'DATABASE_CONFLICT') reply.header('retry-after', '1');
      if (code === 'DATABASE_BUSY') reply.header('retry-after', '5');
      // Space takes an operator to free: retrying every few seconds only adds failed writes.
      if (code === 'STORAGE_UNAVAILABLE') reply.header('retry-after', '30');
      if (error instanceof HttpError && error.headers) reply.headers(error.headers);
      void reply
        .status(status)
        .send({ statusCode: status, code, error: message, ...(details ? { details } : {}) });
      // Routes count their answers in their own onResponse hook (metrics.ts); a request no route
      // matched that fails before the not-found handler answers is counted here.
      if (request.is404) app.observeUnmatched?.(request.method, status, reply.elapsedTime);
    });

    // Rate-limited per IP like every route (@fastify/rate-limit adds its hook to routes only, so
    // without this a client could probe unknown paths without limit).
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) => {
      // A JSON answer like the API's, whatever the path: the same security headers.
      setApiSecurityHeaders(reply);
      void reply.status(404).send({
        statusCode: 404,
        code: 'ROUTE_NOT_FOUND',
        error: `no route ${request.method} ${request.url.split('?')[0]}`,
      });
      app.observeUnmatched?.(request.method, 404, reply.elapsedTime);
    });

    // Only the media types routes declare are parsed; the rest get 415 from Fastify.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: app.config.limits.jsonBodyBytes },
      (request, body, done) => {
        const bytes = body as Buffer;
        request.rawBody = bytes;
        if (bytes.length === 0)
          return done(
            badRequest('EMPTY_BODY', 'the request body is empty; send a JSON object'),
            undefined,
          );
        // Cheap at the default 64 KB; what keeps a RELAY_JSON_LIMIT raised to megabytes safe.
        try {
          assertJsonShape(bytes);
        } catch (error) {
          return done(error as Error, undefined);
        }
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          return done(badRequest('INVALID_UTF8', 'the request body is not valid UTF-8'), undefined);
        }
        try {
          done(null, JSON.parse(text));
        } catch (error) {
          done(
            badRequest(
              'MALFORMED_JSON',
              `the request body is not valid JSON: ${jsonParseProblem(error)}`,
            ),
            undefined,
          );
        }
      },
    );

    // Checked before parsing, so a wrong media type is a 415 rather than a parse error. Added to
    // the routes that declare their media types only, so a GET pays nothing for it.
    app.addHook('onRoute', (route) => {
      const accepted = route.config?.contentTypes;
      if (!accepted) return;
      const check: preParsingAsyncHookHandler = async (request) => {
        if (!declaresBody(request.headers)) return;
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!accepted.includes(type)) {
          throw new HttpError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            `this route accepts ${accepted.join(' or ')}, not ${type || 'a body without Content-Type'}`,
          );
        }
      };
      route.preParsing = route.preParsing
        ? [check, ...(Array.isArray(route.preParsing) ? route.preParsing : [route.preParsing])]
        : [check];
    });
  },
  { name: 'relay-errors', dependencies: ['relay-config', 'relay-security'] },
);
