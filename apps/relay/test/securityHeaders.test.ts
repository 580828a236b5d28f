import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { API_SECURITY_HEADERS } from '../src/plugins/security.js';
import { buildApp } from '../src/app.js';
import { admin, createPortal, signed, startTestRelay, tempDir, testConfig } from './helpers.js';

// What a bare Fastify app with @fastify/helmet (CSP off, as on /docs) sends: the reference for
// the relay's HTML pages, and the list of document-only headers its JSON answers leave out.
async function helmetReference(): Promise<Record<string, string>> {
  const app = Fastify();
  await app.register(helmet, { contentSecurityPolicy: false });
  app.get('/', async () => ({ ok: true }));
  const answer = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  const generic = ['content-type', 'content-length', 'date', 'connection'];
  return Object.fromEntries(
    Object.entries(answer.headers).filter(([name]) => !generic.includes(name)),
  ) as Record<string, string>;
}

describe('security headers', () => {
  test("every API answer (read, write, error, unknown route) carries OWASP's REST set, and no document-only header", async () => {
    const fromHelmet = await helmetReference();
    const relay = await startTestRelay();
    try {
      const { signingSecret } = await createPortal(relay.app, '5500002', null);
      const answers = [
        await relay.app.inject({ method: 'GET', url: '/v1/portals/5500002/state', headers: admin }),
        await relay.app.inject({
          method: 'POST',
          url: '/v1/portals/5500002/suspensions',
          ...signed(signingSecret, {
            reason: 'ORG_LOCKED',
            occurredAt: new Date().toISOString(),
            eventId: 'h-1',
          }),
        }),
        await relay.app.inject({ method: 'GET', url: '/v1/portals/5500002/state' }),
        await relay.app.inject({ method: 'GET', url: '/nowhere' }),
        await relay.app.inject({ method: 'GET', url: '/health/live' }),
      ];
      expect(answers.map((a) => a.statusCode)).toEqual([200, 202, 401, 404, 200]);
      expect(API_SECURITY_HEADERS).toEqual({
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      const [state, ...others] = answers;
      // GET state may be kept by the browser and revalidated with its ETag (stateEtag.test.ts).
      expect(state!.headers['cache-control']).toBe('private, no-cache');
      for (const answer of others)
        for (const [name, value] of Object.entries(API_SECURITY_HEADERS))
          expect([name, answer.headers[name]]).toEqual([name, value]);
      const documentOnly = Object.keys(fromHelmet).filter(
        (name) => !(name in API_SECURITY_HEADERS),
      );
      expect(documentOnly).toEqual(
        expect.arrayContaining([
          'cross-origin-opener-policy',
          'origin-agent-cluster',
          'x-dns-prefetch-control',
          'x-xss-protection',
        ]),
      );
      for (const answer of answers)
        expect(documentOnly.filter((name) => name in answer.headers)).toEqual([]);
    } finally {
      await relay.close();
    }
  });

  test('routes an embedder adds (the preview) get none of the API headers: a CSP of none would stop an HTML page', async () => {
    const dir = tempDir();
    const app = await buildApp(testConfig(dir.path));
    app.get('/embedded/page', async (_request, reply) =>
      reply.type('text/html').send('<!doctype html><title>x</title>'),
    );
    try {
      const page = await app.inject({ method: 'GET', url: '/embedded/page' });
      expect(page.statusCode).toBe(200);
      for (const name of Object.keys(API_SECURITY_HEADERS))
        expect([name, page.headers[name]]).toEqual([name, undefined]);
      // The relay's own answers beside it still carry them, unknown paths included.
      for (const url of ['/v1/admin/portals', '/embedded/missing']) {
        const answer = await app.inject({ method: 'GET', url });
        expect(answer.headers['content-security-policy']).toBe(
          API_SECURITY_HEADERS['content-security-policy'],
        );
      }
    } finally {
      await app.close();
      dir.remove();
    }
  });

  test('the HTML docs carry exactly what @fastify/helmet sends, with swagger-ui’s own CSP', async () => {
    const fromHelmet = await helmetReference();
    const relay = await startTestRelay();
    try {
      const page = await relay.app.inject({ method: 'GET', url: '/docs/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      for (const [name, value] of Object.entries(fromHelmet))
        expect([name, page.headers[name]]).toEqual([name, value]);
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'self'/);
      // Not the API's no-store: the UI's static files may be cached.
      expect(page.headers['cache-control']).not.toBe('no-store');
    } finally {
      await relay.close();
    }
  });
});
