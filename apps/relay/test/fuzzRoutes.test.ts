import fc from 'fast-check';
import { admin } from './helpers.js';
import type { InjectOptions } from 'fastify';
import {
  authorization,
  body,
  checkAnswer,
  contentType,
  extraHeaders,
  fuzzParameters,
  portalSegment,
  queryString,
  queryValue,
  signatureHeaders,
  startFuzzRelay,
  statuses,
  type FuzzRelay,
} from './fuzzHarness.js';

// Generated requests to every route the relay serves (those /docs/json lists, plus /metrics and
// /docs): any method, portal ids of odd characters and lengths, percent-encodings and dot segments,
// forged cursors and repeated query keys, content types with parameters, malformed and duplicated
// signature headers, huge headers, bodies of random bytes. The table-driven suites
// (bad-input.test.ts and others) pin each known case's status and code; this one holds the
// properties for all of them: never a 5xx (but the documented 503s), the error shape without a
// stack, no secret in an answer or a log line, nothing stored for a refusal.

jest.setTimeout(600_000);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** A request from one of the routes, every part of it generated. */
const requestArbitrary = (secret: () => string) =>
  fc.record({
    template: fc.nat(1000),
    method: fc.oneof(fc.constant(null), fc.constantFrom(...METHODS)),
    portal: portalSegment(['fuzz-main', 'fuzz-main', 'unknown-portal', '4471337']),
    target: fc.oneof(fc.constant('a1'), portalSegment(['1', '0'])),
    pathMutation: fc.constantFrom(
      'none',
      'none',
      'trailing-slash',
      'double-slash',
      'dot-segment',
      'encoded-slash',
      'uppercase',
      'suffix',
    ),
    query: queryString,
    contentType,
    body,
    signature: signatureHeaders(secret),
    auth: authorization,
    extra: extraHeaders,
    tokenInQuery: fc.boolean(),
  });

type Generated = ReturnType<typeof requestArbitrary> extends fc.Arbitrary<infer T> ? T : never;

describe('fuzzing every route', () => {
  let relay: FuzzRelay;
  let templates: { method: string; path: string }[];

  beforeAll(async () => {
    relay = await startFuzzRelay();
    const spec = (await relay.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    templates = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
    );
    templates.push(
      { method: 'GET', path: '/metrics' },
      { method: 'GET', path: '/docs' },
      { method: 'GET', path: '/docs/json' },
      { method: 'GET', path: '/docs/static/index.html' },
      { method: 'GET', path: '/v1' },
      { method: 'GET', path: '/' },
    );
    expect(templates.length).toBeGreaterThan(35);
  });
  afterAll(async () => {
    if (process.env.FUZZ_STATS) console.log([...statuses].sort());
    await relay?.close();
  });

  const build = (r: Generated) => {
    const template = templates[r.template % templates.length]!;
    const method: string = r.method ?? template.method;
    let path = template.path.replace('{portalId}', r.portal).replace('{targetId}', r.target);
    switch (r.pathMutation) {
      case 'trailing-slash':
        path += '/';
        break;
      case 'double-slash':
        path = path.replace('/v1/', '/v1//');
        break;
      case 'dot-segment':
        path = path.replace('/v1/', '/v1/portals/../');
        break;
      case 'encoded-slash':
        path = path.replace(/\/(?=[^/]*$)/, '%2F');
        break;
      case 'uppercase':
        path = path.toUpperCase();
        break;
      case 'suffix':
        path += '/extra';
        break;
    }
    // An event stream on a portal that exists stays open: not a request inject can wait for.
    if (/\/stream\/?$/.test(path) && (method === 'GET' || method === 'HEAD')) path += '-x';
    const query =
      r.tokenInQuery && path.includes('inbound')
        ? `${r.query ? r.query + '&' : '?'}token=${relay.token()}`
        : r.query;
    const headers: Record<string, string | string[]> = {
      ...r.extra,
      ...r.auth,
      ...r.signature(r.body),
      ...(r.contentType !== undefined ? { 'content-type': r.contentType } : {}),
    };
    const options: InjectOptions = {
      method: method as InjectOptions['method'],
      url: path + query,
      headers,
      ...(r.body !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload: r.body } : {}),
    };
    return options;
  };

  test('no 5xx, no stack, no secret, nothing stored for a refusal (seed 20261201, 700 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        requestArbitrary(() => relay.secret()),
        async (r) => {
          const options = build(r);
          await checkAnswer(relay, options, {
            issuesSecrets: /\/(rotate|portals)\/?(\?|$)/.test(String(options.url)),
          });
        },
      ),
      fuzzParameters(20261201, 700),
    );
  });

  // The property above seldom reaches a route's own code: most of its requests are refused at the
  // door (an odd path, a wrong token). Here each request is let in (the right portal, path, method
  // and credentials) and only what the route itself reads is generated: query, headers and body.
  const authorizedArbitrary = (secret: () => string) =>
    fc.record({
      template: fc.nat(1000),
      query: fc.oneof(
        queryString,
        queryValue,
        queryValue.map((v) => `?cursor=${v}`),
        fc.tuple(queryValue, queryValue).map(([c, l]) => `?cursor=${c}&limit=${l}`),
        fc.tuple(queryValue, queryValue).map(([a, b]) => `?state=${a}&status=${b}&limit=${a}`),
      ),
      contentType,
      body,
      signature: signatureHeaders(secret),
      extra: extraHeaders,
      signedRatherThanAdmin: fc.boolean(),
    });

  test('let in, then fed malformed queries, headers and bodies (seed 777, 500 runs)', async () => {
    const routes = templates.filter(
      (t) =>
        t.path.includes('{portalId}') &&
        !t.path.endsWith('/stream') &&
        !(t.method === 'DELETE' && t.path.endsWith('{portalId}')),
    );
    await fc.assert(
      fc.asyncProperty(
        authorizedArbitrary(() => relay.secret()),
        async (r) => {
          const template = routes[r.template % routes.length]!;
          const path = template.path
            .replace('{portalId}', relay.portalId)
            .replace('{targetId}', 'fuzz-target');
          const signedRoute = /\/(suspensions|clear|sync-errors)$/.test(path);
          const headers: Record<string, string | string[]> = {
            ...r.extra,
            ...(signedRoute && r.signedRatherThanAdmin ? r.signature(r.body) : admin),
            ...(r.contentType !== undefined ? { 'content-type': r.contentType } : {}),
          };
          const bodyless = template.method === 'GET' || template.method === 'HEAD';
          await checkAnswer(
            relay,
            {
              method: template.method as InjectOptions['method'],
              url: path + r.query,
              headers,
              ...(r.body !== undefined && !bodyless ? { payload: r.body } : {}),
            },
            { issuesSecrets: path.endsWith('/rotate') },
          );
        },
      ),
      fuzzParameters(777, 500),
    );
  });

  test('the relay still answers a good request after all of that', async () => {
    const response = await relay.send({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBeLessThan(500);
  });
});
