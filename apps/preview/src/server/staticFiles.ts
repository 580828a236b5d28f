import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Serves the files under `root` at `prefix` (GET and HEAD), read-only and never outside root.
 * Written here rather than taken from @fastify/static, whose dependencies are ESM-only and cannot be
 * loaded by the CommonJS test run.
 */
export function serveDirectory(
  app: FastifyInstance,
  prefix: string,
  root: string,
  cacheControl: string,
): void {
  const resolvedRoot = path.resolve(root);
  app.get(`${prefix}*`, async (request, reply) => {
    const relative = (request.params as { '*': string })['*'];
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return reply.code(400).send({ error: { message: 'Malformed path' } });
    }
    const file = path.resolve(resolvedRoot, decoded);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
    if (decoded.includes('\0') || !file.startsWith(resolvedRoot + path.sep) || !type) {
      return reply.code(404).send({ error: { message: 'Not found' } });
    }
    const info = await stat(file).catch(() => null);
    if (!info || !info.isFile()) return reply.code(404).send({ error: { message: 'Not found' } });
    return reply
      .type(type)
      .header('content-length', info.size)
      .header('cache-control', cacheControl)
      .send(createReadStream(file));
  });
}
