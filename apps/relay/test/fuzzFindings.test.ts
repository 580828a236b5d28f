import { signPayload } from '../src/crypto/signature.js';
import { admin, createPortal, startTestRelay, type TestRelay } from './helpers.js';

// What the fuzz suites (fuzzRoutes, fuzzInputs, fuzzSocket) found, each pinned as it was found.

describe('found by fuzzing', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '5550777';
  const url = `/v1/portals/${portalId}/sync-errors`;
  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  // `curl -X POST -H 'Authorization: Bearer …' …/sync-errors` without --data-binary: no body, no
  // Content-Type, so no parser ran and the route read an undefined body (a TypeError, a 500).
  test.each([
    ['the admin token', () => admin],
    [
      'a signature over the empty body',
      () => {
        const ts = Math.floor(Date.now() / 1000);
        return {
          'x-sync-doctor-timestamp': String(ts),
          'x-sync-doctor-signature': signPayload(secret, ts, ''),
        };
      },
    ],
  ])(
    'a sync-errors upload without a body, with %s: 400 EMPTY_BODY, nothing stored',
    async (...[, headers]) => {
      const response = await relay.app.inject({ method: 'POST', url, headers: headers() });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        statusCode: 400,
        code: 'EMPTY_BODY',
        error: expect.any(String),
      });
      expect(await relay.app.store.latestSyncErrorReport(portalId)).toBeNull();
    },
  );

  // Fastify's Ajv 8 coerces the query string "Infinity" (also 1e999, or 400 digits) to Infinity
  // and passes it as an integer within 1..200; the store's SQL LIMIT refused it (a 500).
  test.each(['history', 'deliveries', 'alerts'])(
    'GET %s with limit=Infinity, -Infinity, 1e999 or 400 digits: 400 VALIDATION_FAILED',
    async (page) => {
      for (const limit of ['Infinity', '-Infinity', '1e999', '9'.repeat(400)]) {
        const response = await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${portalId}/${page}?limit=${limit}`,
          headers: admin,
        });
        expect([limit, response.statusCode, response.json().code]).toEqual([
          limit,
          400,
          'VALIDATION_FAILED',
        ]);
      }
      const fine = await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/${page}?limit=200`,
        headers: admin,
      });
      expect(fine.statusCode).toBe(200);
    },
  );
});
