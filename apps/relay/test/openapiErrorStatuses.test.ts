import { connect, type Socket } from 'node:net';
import { UPLOAD_PACE } from '../src/inputs/uploadPace.js';
import {
  ADMIN_TOKEN,
  admin,
  createPortal,
  listen,
  startTestRelay,
  waitFor,
  type TestRelay,
} from './helpers.js';

// A client generated from /docs/json expects only the statuses each operation lists. Two the
// relay answers on routes that did not list them: 503 (load shedding, an unreachable database,
// a full spool, too many streams, the admin API off) and 408 (a request body that does not keep
// its pace). Which operations answer them is found here by asking each one, not from a list.

interface Operation {
  method: string;
  path: string;
  statuses: string[];
}

type Spec = { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

const portalId = '6640001';
const name = (op: Operation) => `${op.method} ${op.path}`;
const url = (op: Operation) => op.path.replace('{portalId}', portalId).replace('{targetId}', '1');

async function operationsOf(relay: TestRelay): Promise<Operation[]> {
  const answer = await relay.app.inject({ method: 'GET', url: '/docs/json' });
  expect(answer.statusCode).toBe(200);
  const spec = answer.json() as Spec;
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      statuses: Object.keys(operation.responses ?? {}),
    })),
  );
}

describe('the OpenAPI document lists 503 and 408 where the relay answers them', () => {
  let relay: TestRelay;
  let operations: Operation[];
  let inboundToken = '';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ inboundToken } = await createPortal(relay.app, portalId));
    operations = await operationsOf(relay);
  });
  afterAll(() => relay?.close());

  test('every operation that sheds load answers 503 and lists it', async () => {
    // A heap limit of one byte: under pressure from the first sample on (loadShedding.test.ts).
    const shedding = await startTestRelay({ maxHeapUsedBytes: 1, pressureSampleIntervalMs: 10 });
    try {
      await waitFor(
        async () =>
          (await shedding.app.inject({ method: 'GET', url: '/v1/admin/portals', headers: admin }))
            .statusCode === 503,
        5000,
        'the first sample over the limit',
      );
      const answered: string[] = [];
      for (const op of operations) {
        const answer = await shedding.app.inject({
          method: op.method as 'GET',
          url: url(op),
          headers: admin,
        });
        if (answer.statusCode === 503) answered.push(name(op));
      }
      // All but liveness (readiness says "overloaded" with its own, listed, 503).
      expect(operations.map(name).filter((op) => !answered.includes(op))).toEqual([
        'GET /health/live',
      ]);
      expect(answered.filter((op) => !listed(op, '503'))).toEqual([]);
    } finally {
      await shedding.close();
    }
  });

  test('every operation that reads a request body answers 408 when it stalls, and lists it; no other lists it', async () => {
    const shipped = { ...UPLOAD_PACE };
    Object.assign(UPLOAD_PACE, { idleMs: 300, graceMs: 1000, minBytesPerSecond: 2000 });
    const port = Number(new URL(await listen(relay.app)).port);
    const sockets: Socket[] = [];
    try {
      // Each announces a body of 1000 bytes in the route's media type, sends one, then nothing.
      const statuses = await Promise.all(
        operations.map(async (op) => {
          const type = op.path.endsWith('/sync-errors')
            ? 'text/csv'
            : op.path.startsWith('/v1/inbound/email')
              ? 'message/rfc822'
              : 'application/json';
          const socket = connect({ port, host: '127.0.0.1' });
          sockets.push(socket);
          let text = '';
          socket.on('data', (data) => (text += data.toString('latin1')));
          socket.on('error', () => undefined);
          socket.write(
            `${op.method} ${url(op)} HTTP/1.1\r\nHost: relay\r\nContent-Type: ${type}\r\n` +
              `Content-Length: 1000\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
              `x-sync-doctor-token: ${inboundToken}\r\n\r\n{`,
          );
          const head = await waitFor(
            () => /^HTTP\/1\.1 (\d{3}) /.exec(text) ?? false,
            15_000,
            `an answer to ${name(op)}`,
          );
          return [name(op), head[1]!] as const;
        }),
      );
      const timedOut = statuses.filter(([, status]) => status === '408').map(([op]) => op);
      expect(timedOut).toContain('POST /v1/portals/{portalId}/suspensions');
      expect(timedOut).toContain('POST /v1/inbound/email');
      expect(timedOut).toContain('POST /v1/portals/{portalId}/sync-errors');
      expect(timedOut).toContain('DELETE /v1/admin/portals/{portalId}');
      expect(operations.filter((op) => listed(name(op), '408')).map(name)).toEqual(timedOut);
      // Fastify reads no body for a GET: none of them can.
      expect(timedOut.filter((op) => op.startsWith('GET '))).toEqual([]);
    } finally {
      Object.assign(UPLOAD_PACE, shipped);
      sockets.forEach((socket) => socket.destroy());
    }
  });

  test('503 and 408 are described, in the API error shape', async () => {
    const spec = (await relay.app.inject({ method: 'GET', url: '/docs/json' })).json() as Spec;
    const responses = spec.paths['/v1/portals/{portalId}/sync-errors']!.post!.responses as Record<
      string,
      { description: string; content: { 'application/json': { schema: { required: string[] } } } }
    >;
    for (const [status, says] of [
      ['503', /UNDER_PRESSURE.*DATABASE_UNAVAILABLE.*SPOOL_BUSY/],
      ['408', /REQUEST_TIMEOUT/],
    ] as const) {
      expect(responses[status]!.description).toMatch(says);
      expect(responses[status]!.content['application/json'].schema.required).toEqual([
        'statusCode',
        'code',
        'error',
      ]);
    }
  });

  const listed = (op: string, status: string) =>
    operations.find((candidate) => name(candidate) === op)!.statuses.includes(status);
});
