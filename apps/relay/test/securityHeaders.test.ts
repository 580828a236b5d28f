import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { SECURITY_HEADERS } from '../src/plugins/security.js';

// The relay sets helmet's default headers from a constant instead of running helmet per request
// (see plugins/security.ts). This keeps the constant honest: when a helmet upgrade changes its
// defaults, this test names the header that drifted.
describe('security headers', () => {
  test('equal what @fastify/helmet sends by default (without CSP)', async () => {
    const app = Fastify();
    await app.register(helmet, { contentSecurityPolicy: false });
    app.get('/', async () => ({ ok: true }));
    const answer = await app.inject({ method: 'GET', url: '/' });
    await app.close();

    const fromHelmet = Object.fromEntries(
      Object.keys(SECURITY_HEADERS).map((name) => [name, answer.headers[name]]),
    );
    expect(fromHelmet).toEqual(SECURITY_HEADERS);
    const helmetOnly = Object.keys(answer.headers).filter(
      (name) => !(name in SECURITY_HEADERS) && !['content-type', 'content-length', 'date', 'connection'].includes(name),
    );
    expect(helmetOnly).toEqual([]);
  });
});
