import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, loggerOptions } from '../src/app.js';
import { signPayload } from '../src/crypto/signature.js';
import {
  ADMIN_TOKEN,
  RecordingPublisher,
  admin,
  captureLogs,
  createPortal,
  tempDir,
  testConfig,
} from './helpers.js';

// Shared by the fuzz suites (fuzz*.test.ts): a relay whose every log line is kept (with the
// production redactions and serializers), every secret it ever handed out remembered, every store
// write counted, and the properties each answer to a generated request must have.

/**
 * A fixed seed per suite and a bounded number of runs: the suites are deterministic. FUZZ_SEED and
 * FUZZ_RUNS explore further by hand (FUZZ_SEED=random for a new one each run).
 */
export const fuzzParameters = (seed: number, numRuns: number): fc.Parameters<unknown> => ({
  seed:
    process.env.FUZZ_SEED === 'random'
      ? Date.now() ^ (Math.random() * 0x100000000)
      : Number(process.env.FUZZ_SEED ?? seed),
  numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
  // A failure prints the seed, the path and the shrunk case (fast-check's own report).
  verbose: 0,
  endOnFailure: true,
});

/**
 * The store's writes a request can cause (RelayStore); a refused request (4xx) may make none of
 * them. The outbox's own writes (claims, leases, completions) run on their timer, not for a request.
 */
const WRITES =
  /^(createPortal|updatePortal|deletePortal|recordSignal|resendLatest|retryFailedDeliveries|saveInboundMessage|saveSyncErrorReport)$/;

export interface FuzzRelay {
  app: Awaited<ReturnType<typeof buildApp>>;
  portalId: string;
  /** The current signing secret of the portal (rotations are followed). */
  secret: () => string;
  /** The current inbound token of the portal. */
  token: () => string;
  /** Every secret this relay ever held or handed out: none may appear where it was not asked for. */
  secrets: Set<string>;
  /** Store writes since the relay started, by method. */
  writes: string[];
  logs: ReturnType<typeof captureLogs>;
  send: (request: InjectOptions) => Promise<LightMyRequestResponse>;
  /** Rows the store holds for the portal and overall, as a refused request must leave them. */
  counts: () => Promise<Record<string, unknown>>;
  close: () => Promise<void>;
}

export async function startFuzzRelay(portalId = 'fuzz-main'): Promise<FuzzRelay> {
  const dir = tempDir();
  const secretKey = randomBytes(32);
  const config = testConfig(dir.path, {
    publisher: new RecordingPublisher(),
    secretKey,
    logLevel: 'trace',
    // Thousands of requests from one address: the limiters would answer most of them 429.
    rateLimit: { perIpPerMinute: 1_000_000, perPortalPerMinute: 1_000_000 },
    limits: {
      jsonBodyBytes: 64 * 1024,
      emailBodyBytes: 256 * 1024,
      emailKeepBytes: 4096,
      csvBodyBytes: 256 * 1024,
    },
  });
  // The production logger's options (redactions, serializers), writing into memory.
  const production = loggerOptions({ ...config, logEnabled: true }) as Record<string, unknown>;
  delete production.stream;
  const logs = captureLogs({ ...production, level: 'trace' });
  const app = await buildApp(config, { loggerInstance: logs.logger });
  await app.ready();

  const writes: string[] = [];
  const store = app.store as unknown as Record<string, unknown>;
  for (let proto = Object.getPrototypeOf(store); proto && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = store[name];
      if (name === 'constructor' || !WRITES.test(name) || typeof method !== 'function') continue;
      if (Object.prototype.hasOwnProperty.call(store, name)) continue;
      // A write that found nothing to write (an update of an unknown portal: null) is not counted.
      store[name] = async function (this: unknown, ...args: unknown[]) {
        const result = await (method as (...a: unknown[]) => unknown).apply(this, args);
        if (result !== null && result !== undefined && result !== false && result !== 0)
          writes.push(name);
        return result;
      };
    }
    proto = Object.getPrototypeOf(proto);
  }

  const created = await createPortal(app, portalId, {
    kind: 'token',
    instanceUrl: 'http://127.0.0.1:9',
    accessToken: 'sf-access-token-fuzz-0123456789',
  });
  let secret = created.signingSecret;
  let token = created.inboundToken;
  const secrets = new Set<string>([
    ADMIN_TOKEN,
    secret,
    token,
    'sf-access-token-fuzz-0123456789',
    secretKey.toString('hex'),
    secretKey.toString('base64'),
  ]);

  const send = async (request: InjectOptions) => {
    const response = await app.inject(request);
    // The answers that hand out a secret: remember it, as a secret never to be seen elsewhere.
    if (response.statusCode < 300 && /json/.test(String(response.headers['content-type']))) {
      try {
        const body = response.json() as { signingSecret?: string; inboundToken?: string };
        const url = String(request.url ?? request.path ?? '');
        const mine = url.includes(`/${portalId}/`);
        if (body.signingSecret) {
          secrets.add(body.signingSecret);
          if (mine) secret = body.signingSecret;
        }
        if (body.inboundToken) {
          secrets.add(body.inboundToken);
          if (mine) token = body.inboundToken;
        }
      } catch {
        // not JSON after all
      }
    }
    return response;
  };

  const counts = async () => {
    const portals = (await app.store.listPortals()).map((p) => p.id).sort();
    const exists = portals.includes(portalId);
    return {
      portals,
      changes: exists ? (await app.store.listChanges(portalId, { limit: 500 })).items.length : 0,
      deliveries: exists
        ? (await app.store.listDeliveries(portalId, { limit: 500 })).items.length
        : 0,
      report: exists ? ((await app.store.latestSyncErrorReport(portalId))?.id ?? null) : null,
    };
  };

  return {
    app,
    portalId,
    secret: () => secret,
    token: () => token,
    secrets,
    writes,
    logs,
    send,
    counts,
    close: async () => {
      await app.close();
      dir.remove();
    },
  };
}

/** Answers by status, printed at exit with FUZZ_STATS=1 (to see what the generators reach). */
export const statuses = new Map<number, number>();

/** A stack trace's frame, as V8 prints one. */
const STACK_FRAME = /\bat .+\.(ts|js|cjs|mjs):\d+/;

/**
 * The properties every answer to a generated request must have: below 500 (503 only with its
 * documented code), the API's error shape without a stack, no secret in the answer nor in the log
 * lines written while it was handled, and nothing stored for a refusal.
 */
export async function checkAnswer(
  relay: FuzzRelay,
  request: InjectOptions,
  options: { issuesSecrets?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const before = await relay.counts();
  const writesBefore = relay.writes.length;
  const logBefore = relay.logs.text().length;
  const response = await relay.send(request);
  const status = response.statusCode;
  if (process.env.FUZZ_STATS) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const where = `${request.method} ${String(request.url).slice(0, 200)} -> ${status} ${response.body.slice(0, 300)}`;

  if (status >= 500) {
    // Load shedding and a busy spool are the documented 503s; nothing else.
    expect([where, status, response.json().code]).toEqual([
      where,
      503,
      expect.stringMatching(/^(UNDER_PRESSURE|SPOOL_BUSY|SERVICE_UNAVAILABLE)$/),
    ]);
  }
  expect([where, STACK_FRAME.test(response.body)]).toEqual([where, false]);
  if (status >= 400 && request.method !== 'HEAD') {
    expect([where, response.headers['content-type']]).toEqual([
      where,
      expect.stringMatching(/^application\/json/),
    ]);
    const body = response.json() as Record<string, unknown>;
    expect([
      where,
      Object.keys(body).filter((k) => !['statusCode', 'code', 'error', 'details'].includes(k)),
    ]).toEqual([where, []]);
    // Mailgun's and Postmark's refusals for good (routes/v1/email.ts) keep the body they replace.
    const restated = /\/inbound\/email/i.test(String(request.url)) && [403, 406].includes(status);
    expect([where, body.statusCode, typeof body.code, typeof body.error]).toEqual([
      where,
      restated ? expect.any(Number) : status,
      'string',
      'string',
    ]);
    expect([where, 'stack' in body]).toEqual([where, false]);
  }
  // Secrets: never in an answer that is not the one handing them out, never in the log.
  const lines = relay.logs.text().slice(logBefore);
  for (const secret of relay.secrets) {
    if (!options.issuesSecrets || status >= 300)
      expect([where, response.body.includes(secret)]).toEqual([where, false]);
    expect([where, 'log', lines.includes(secret)]).toEqual([where, 'log', false]);
    for (const value of Object.values(response.headers))
      expect([where, String(value).includes(secret)]).toEqual([where, false]);
  }
  expect([where, STACK_FRAME.test(lines) && status < 500]).toEqual([where, false]);
  if (status >= 400) {
    expect([where, relay.writes.slice(writesBefore)]).toEqual([where, []]);
    expect([where, await relay.counts()]).toEqual([where, before]);
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// Generators.

/** Path segments a portal id might be sent as: odd characters, lengths, encodings, dot segments. */
export const portalSegment = (known: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
    fc.stringMatching(/^[A-Za-z0-9_-]{33,300}$/),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
    fc.constantFrom(
      '.',
      '..',
      '%2e',
      '%2e%2e',
      '%2E%2E%2F',
      '%2F',
      '%5C',
      '%00',
      '%',
      '%zz',
      '%E0%A4%A',
      '%C0%AE',
      '%FF',
      '%ED%A0%80',
      '~',
      'a;b',
      'a,b',
      '%20',
      '+',
      '%2B',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
      '%252e%252e',
    ),
    fc
      .string({ unit: 'binary-ascii', minLength: 1, maxLength: 8 })
      .map((s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')),
    fc.integer({ min: 1, max: 20000 }).map((n) => 'x'.repeat(n)),
  );

/** Query values: cursors forged every way, numbers of every size, and repeated keys. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.base64String({ maxLength: 60 }),
  fc
    .jsonValue({ maxDepth: 3 })
    .map((v) => encodeURIComponent(Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url'))),
  fc
    .record({ id: fc.oneof(fc.integer(), fc.double(), fc.string()), at: fc.string() })
    .map((v) => encodeURIComponent(Buffer.from(JSON.stringify(v)).toString('base64url'))),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e309',
    '9'.repeat(400),
    'NaN',
    'Infinity',
    '0x10',
    '1.5',
    '%',
    '%00',
    '%FF',
    '[]',
    'true',
    'null',
    '__proto__',
    '%E0%A4%A',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
);

export const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'cursor',
          'limit',
          'state',
          'status',
          'token',
          '__proto__',
          'constructor',
          'cursor[]',
          'limit[a]',
        ),
        fc.string({ maxLength: 8 }).map(encodeURIComponent),
      ),
      queryValue,
    ),
    { maxLength: 5 },
  )
  .map((pairs) => (pairs.length ? '?' + pairs.map(([k, v]) => `${k}=${v}`).join('&') : ''));

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json;charset="utf-16"',
    'APPLICATION/JSON',
    'application/json ; x=y',
    'application/json; boundary=',
    'application/jsonx',
    'application/json-patch+json',
    'application/vnd.api+json',
    'text/json',
    'text/plain',
    'text/csv',
    'text/csv; charset=utf-16le',
    'text/csv; charset=windows-1252',
    'application/vnd.ms-excel',
    'message/rfc822',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'multipart/form-data; boundary=xyz',
    'multipart/form-data; boundary="',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    '',
    ';',
    '/',
    'json',
    '*/*',
    'application/*',
    'application/json\u0000',
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
);

/** Bodies of every kind: random bytes, invalid UTF-8, deep nesting, near and over the limits. */
export const body: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''),
  fc
    .tuple(fc.constantFrom('[', '{"a":'), fc.integer({ min: 1, max: 20000 }))
    .map(([open, n]) => open.repeat(n) + (open === '[' ? ']' : '}').repeat(n)),
  fc.constantFrom(
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"a":1e999999}',
    `{"a":${'9'.repeat(5000)}}`,
    '{"a":-0}',
    '\ufeff{}',
    '{"a":"\\ud800"}',
    '{}',
    'null',
    '[]',
    '',
  ),
  fc
    .tuple(fc.constantFrom(64 * 1024 - 20, 64 * 1024, 64 * 1024 + 1, 300 * 1024), fc.boolean())
    .map(([n, quoted]) => (quoted ? `{"title":"${'x'.repeat(n)}"}` : 'x'.repeat(n))),
  fc
    .uint8Array({ minLength: 1, maxLength: 60 })
    .map((a) => Buffer.concat([Buffer.from('{"title":"'), Buffer.from(a), Buffer.from('"}')])),
);

/** A signature header pair, well formed or not, for the routes HubSpot's webhook signs. */
export const signatureHeaders = (
  secret: () => string,
): fc.Arbitrary<(payload: string | Buffer | undefined) => Record<string, string | string[]>> =>
  fc.oneof(
    fc.constant(() => ({})),
    fc.constant((payload: string | Buffer | undefined) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return {
        'x-sync-doctor-timestamp': ts,
        'x-sync-doctor-signature': signPayload(secret(), Number(ts), payload ?? ''),
      };
    }),
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom('', '0', '-1', '1e10', 'NaN', ' 1 ', '99999999999999999999', 'abc'),
          fc.integer().map(String),
          fc.string({ maxLength: 20 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        ),
        fc.oneof(
          fc.constantFrom('', 'v1=', 'v1=zz', 'v0=00', 'v1=' + '0'.repeat(64), '=', ',,,'),
          fc
            .string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 80 })
            .map((h) => `v1=${h}`),
          fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        ),
      )
      .map(([ts, sig]) => () => ({
        'x-sync-doctor-timestamp': ts,
        'x-sync-doctor-signature': sig,
      })),
    // Duplicated headers: the right signature beside a wrong one.
    fc.constant((payload: string | Buffer | undefined) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return {
        'x-sync-doctor-timestamp': [ts, ts],
        'x-sync-doctor-signature': ['v1=00', signPayload(secret(), Number(ts), payload ?? '')],
      };
    }),
  );

export const authorization: fc.Arbitrary<Record<string, string | string[]>> = fc.oneof(
  fc.constant({}),
  fc.constant(admin),
  fc.constantFrom<Record<string, string | string[]>>(
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: 'bearer ' + ADMIN_TOKEN },
    { authorization: 'Basic ' + Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64') },
    { authorization: `Bearer ${ADMIN_TOKEN}x` },
    { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
    { authorization: ['Bearer nope', `Bearer ${ADMIN_TOKEN}`] },
    { authorization: `Bearer ${'a'.repeat(100_000)}` },
    { authorization: `Bearer \u00e9\u00e9` },
  ),
  fc
    .string({ maxLength: 60 })
    .filter((s) => /^[\x20-\x7e]*$/.test(s))
    .map((s) => ({ authorization: `Bearer ${s}` })),
);

/** Extra headers: huge ones, odd request ids, forwarded-for, odd lengths. */
export const extraHeaders: fc.Arbitrary<Record<string, string | string[]>> = fc.oneof(
  fc.constant({}),
  fc.constantFrom<Record<string, string | string[]>>(
    { 'x-request-id': '\u0000' },
    { 'x-request-id': 'a'.repeat(5000) },
    { 'x-request-id': ['a', 'b'] },
    { 'x-forwarded-for': '1.2.3.4, nonsense' },
    { 'x-padding': 'p'.repeat(200_000) },
    { 'accept-encoding': 'gzip;q=abc, *' },
    { accept: 'text/html' },
    { accept: '*/*;q=0' },
    { 'if-none-match': '"' },
    { 'if-none-match': 'W/"x", *, ,' },
    { 'last-event-id': 'abc' },
    { 'last-event-id': '-1' },
    { 'last-event-id': '9'.repeat(400) },
    { 'transfer-encoding': 'chunked' },
    { 'content-encoding': 'gzip' },
    { 'content-encoding': 'br, identity' },
  ),
);
