import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a request's headers announce a body: chunked (any Transfer-Encoding), or a
 * Content-Length above 0. One rule for the plugins that act on bodies (their pace, their content
 * type, the lingering close of one left unread), so they never disagree on what is a body.
 */
export function declaresBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}
