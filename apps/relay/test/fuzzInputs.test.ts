import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { signPayload } from '../src/crypto/signature.js';
import { admin } from './helpers.js';
import {
  checkAnswer,
  fuzzParameters,
  startFuzzRelay,
  statuses,
  type FuzzRelay,
} from './fuzzHarness.js';

// Generated inputs for the routes that read what a sender wrote: the JSON body of every route that
// takes one, each field given every wrong type, prototype keys, huge numbers and deep nesting; the
// forwarded notices of test/fixtures mutated byte by byte, posted in each way the inbound-mail
// services post them; sync-error CSV exports with BOMs, other encodings, stray quotes, CR-only
// lines and NULs. The properties are those of fuzzRoutes.test.ts (fuzzHarness.ts: checkAnswer).

jest.setTimeout(600_000);

// A hub id as the notices name one (their ids are rewritten to it, so most are read to the end).
const PORTAL = '5550101';
const SECRET_VALUES = {
  hubspot: 'hs-token-fuzz-secret-0001',
  imap: 'imap-password-fuzz-0001',
  webhook: 'webhook-secret-fuzz-000000001',
  salesforce: 'sf-access-token-fuzz-put-0001',
};

/** A well-formed body for each JSON route, the starting point of every mutation. */
const ROUTES: { method: 'POST' | 'PUT'; url: string; signed?: boolean; body: () => unknown }[] = [
  {
    method: 'POST',
    url: `/v1/portals/${PORTAL}/suspensions`,
    signed: true,
    body: () => ({
      reason: 'ORG_LOCKED',
      title: 'Salesforce org locked',
      message: 'HubSpot could not reach Salesforce',
      occurredAt: '2026-11-28T10:00:00Z',
      eventId: 'fuzz-evt',
    }),
  },
  {
    method: 'POST',
    url: `/v1/portals/${PORTAL}/clear`,
    signed: true,
    body: () => ({ occurredAt: '2026-11-28T11:00:00Z', eventId: 'fuzz-clear', note: 'done' }),
  },
  {
    method: 'POST',
    url: '/v1/admin/portals',
    body: () => ({
      id: 'fuzz-new',
      name: 'Fuzz',
      salesforce: {
        kind: 'token',
        instanceUrl: 'https://fuzz.my.salesforce.com',
        accessToken: SECRET_VALUES.salesforce,
      },
    }),
  },
  {
    method: 'PUT',
    url: `/v1/admin/portals/${PORTAL}/salesforce`,
    body: () => ({
      kind: 'token',
      instanceUrl: 'http://127.0.0.1:9',
      accessToken: SECRET_VALUES.salesforce,
    }),
  },
  {
    method: 'PUT',
    url: `/v1/admin/portals/${PORTAL}/sender-policy`,
    body: () => ({ authservIds: ['mx.google.com'], domains: ['hubspot.com', 'example.com'] }),
  },
  {
    method: 'PUT',
    url: `/v1/admin/portals/${PORTAL}/hubspot`,
    body: () => ({ token: SECRET_VALUES.hubspot }),
  },
  {
    method: 'PUT',
    url: `/v1/admin/portals/${PORTAL}/mailbox`,
    body: () => ({
      host: '127.0.0.1',
      port: 9,
      tls: 'none',
      user: 'ops@example.com',
      password: SECRET_VALUES.imap,
      mailbox: 'INBOX',
      moveTo: 'Done',
    }),
  },
  {
    method: 'POST',
    url: `/v1/admin/portals/${PORTAL}/alert-targets`,
    body: () => ({
      kind: 'webhook',
      id: 'fuzz-target',
      url: 'http://127.0.0.1:9/hook',
      secret: SECRET_VALUES.webhook,
    }),
  },
  {
    method: 'PUT',
    url: `/v1/admin/portals/${PORTAL}/access-requirements`,
    body: () => ({
      objects: [{ name: 'Contact', rights: ['read', 'edit'] }],
      fields: [{ object: 'Contact', field: 'Email', access: 'edit' }],
    }),
  },
];

/** A value of any type, wrong for most fields: the generator of "wrong type per field". */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1e308,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '\u0000',
    '\ud800',
    'x'.repeat(70_000),
    'x'.repeat(21_000),
    'x'.repeat(2049),
    [],
    [null],
    {},
    '2016-12-31T23:59:60Z',
    '2026-02-30T10:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2026-11-28T10:00:00+99:99',
    '9999-12-31T23:59:59.999999999Z',
    'http://[::1',
    'file:///etc/passwd',
    'http://169.254.169.254/latest/meta-data',
    'javascript:alert(1)',
    'ORG_LOCKED',
    'constructor',
    '__proto__',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }).map((n) => ({ raw: n.toString() })),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Placeholder objects `{ raw }` are written into the JSON text as they are (huge integers). */
const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && 'raw' in v && Object.keys(v).length === 1
      ? `\u0001${(v as { raw: string }).raw}\u0001`
      : v,
  ).replace(/"\\u0001(-?\d+)\\u0001"/g, '$1');

type Mutation =
  | { kind: 'field'; pick: number; value: unknown; nested: boolean }
  | { kind: 'drop'; pick: number }
  | { kind: 'proto'; key: '__proto__' | 'constructor' | 'prototype'; value: unknown }
  | { kind: 'deep'; depth: number }
  | { kind: 'duplicate'; pick: number; value: unknown }
  | { kind: 'whole'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      pick: fc.nat(),
      value: wrongValue,
      nested: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('proto' as const),
    key: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const),
    value: wrongValue,
  }),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 10, max: 30_000 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat(), value: wrongValue }),
  fc.record({ kind: fc.constant('whole' as const), value: wrongValue }),
);

/** The JSON text of a base body after mutations: keys are written as text, so __proto__ is an own key. */
function mutate(base: unknown, mutations: Mutation[]): string {
  let value = structuredClone(base) as Record<string, unknown>;
  const extra: string[] = [];
  for (const m of mutations) {
    const keys = Object.keys(value ?? {});
    switch (m.kind) {
      case 'field': {
        if (!value || typeof value !== 'object' || !keys.length) break;
        const key = keys[m.pick % keys.length]!;
        const target = value[key];
        if (m.nested && target && typeof target === 'object') {
          const inner = target as Record<string, unknown>;
          const innerKeys = Object.keys(inner);
          if (innerKeys.length) inner[innerKeys[m.pick % innerKeys.length]!] = m.value;
        } else value[key] = m.value;
        break;
      }
      case 'drop':
        if (value && typeof value === 'object' && keys.length)
          delete value[keys[m.pick % keys.length]!];
        break;
      case 'proto':
        extra.push(`${JSON.stringify(m.key)}:${toJson(m.value)}`);
        break;
      case 'duplicate':
        if (keys.length)
          extra.push(`${JSON.stringify(keys[m.pick % keys.length])}:${toJson(m.value)}`);
        break;
      case 'deep':
        if (value && typeof value === 'object' && keys.length)
          value[keys[m.depth % keys.length]!] = { raw: '['.repeat(m.depth) + ']'.repeat(m.depth) };
        break;
      case 'whole':
        value = m.value as Record<string, unknown>;
        break;
    }
  }
  const text = toJson(value) ?? '';
  if (!extra.length || !text.startsWith('{')) return text;
  return text === '{}' ? `{${extra.join(',')}}` : `{${extra.join(',')},${text.slice(1)}`;
}

const signedHeaders = (secret: string, payload: string | Buffer) => {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'x-sync-doctor-timestamp': String(ts),
    'x-sync-doctor-signature': signPayload(secret, ts, payload),
  };
};

describe('fuzzing what senders write', () => {
  let relay: FuzzRelay;
  beforeAll(async () => {
    relay = await startFuzzRelay(PORTAL);
    for (const value of Object.values(SECRET_VALUES)) relay.secrets.add(value);
  });
  afterAll(async () => {
    if (process.env.FUZZ_STATS) console.log([...statuses].sort());
    await relay?.close();
  });

  test('JSON bodies: every field of every route given wrong types (seed 4242, 500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(ROUTES.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'Application/JSON ; q=1',
        ),
        async (index, mutations, type) => {
          const route = ROUTES[index]!;
          const payload = mutate(route.body(), mutations);
          const headers: Record<string, string> = route.signed
            ? { ...signedHeaders(relay.secret(), payload), 'content-type': type }
            : { ...admin, 'content-type': type };
          await checkAnswer(
            relay,
            { method: route.method, url: route.url, headers, payload },
            {
              issuesSecrets: route.url === '/v1/admin/portals',
            },
          );
          // A portal the fuzz made is removed again, so the next creation is tried afresh.
          await relay.app.store.deletePortal('fuzz-new');
        },
      ),
      fuzzParameters(4242, 500),
    );
  });

  const fixtures = readdirSync(join(__dirname, 'fixtures/forwarded'))
    .filter((name) => name.endsWith('.eml'))
    .map((name) =>
      Buffer.from(
        readFileSync(join(__dirname, 'fixtures/forwarded', name), 'latin1').replace(
          /555010\d/g,
          PORTAL,
        ),
        'latin1',
      ),
    );

  type ByteMutation =
    | { kind: 'insert'; at: number; bytes: Uint8Array }
    | { kind: 'delete'; at: number; length: number }
    | { kind: 'truncate'; at: number }
    | { kind: 'lineEnds'; to: '\r' | '\n' | '\r\r\n' | '\n\r' }
    | { kind: 'header'; line: string }
    | { kind: 'replace'; from: string; to: string };

  const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 20 }),
        fc.constantFrom(
          new Uint8Array([0]),
          new Uint8Array([0xff, 0xfe]),
          new Uint8Array([0xc3, 0x28]),
          new Uint8Array([0xed, 0xa0, 0x80]),
          new Uint8Array(Buffer.from('\r\n\r\n')),
          new Uint8Array(Buffer.from('=\r\n=ZZ=')),
          new Uint8Array(Buffer.from('--')),
        ),
      ),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat(400) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('lineEnds' as const),
      to: fc.constantFrom('\r' as const, '\n' as const, '\r\r\n' as const, '\n\r' as const),
    }),
    fc.record({
      kind: fc.constant('header' as const),
      line: fc.constantFrom(
        'Content-Type: text/plain; charset=x-unknown-charset',
        'Content-Type: text/plain; charset=utf-16',
        'Content-Type: text/plain; charset=iso-2022-jp',
        'Content-Type: multipart/mixed',
        'Content-Type: multipart/mixed; boundary=""',
        'Content-Transfer-Encoding: base64',
        'Content-Transfer-Encoding: x-uuencode',
        'Date: Tue, 31 Feb 2026 99:99:99 +9999',
        'Date: ' + '9'.repeat(400),
        'Subject: =?utf-8?B?!!!?=',
        'Subject: =?x-bogus?Q?=FF=FE?=',
        'From: <>',
        'From: ' + 'a'.repeat(5000) + '@example.com',
        'Message-ID: <' + 'm'.repeat(3000) + '>',
        'Message-ID:',
        'X-Forwarded-For: hub id 1',
        'Authentication-Results: mx.google.com; dkim=pass header.d=hubspot.com',
        'Received: ' + 'x'.repeat(10_000),
      ),
    }),
    fc.record({
      kind: fc.constant('replace' as const),
      from: fc.constantFrom(
        PORTAL,
        'Hub ID',
        'boundary=',
        'charset=',
        'quoted-printable',
        '\r\n\r\n',
      ),
      to: fc.constantFrom(
        '',
        '5550103',
        '\u0000',
        'x'.repeat(300),
        'boundary="',
        '\r\n',
        'charset=utf-7',
      ),
    }),
  );

  function mutateBytes(message: Buffer, mutations: ByteMutation[]): Buffer {
    let bytes = message;
    for (const m of mutations) {
      const at = bytes.length
        ? m.kind === 'insert' || m.kind === 'delete' || m.kind === 'truncate'
          ? m.at % bytes.length
          : 0
        : 0;
      switch (m.kind) {
        case 'insert':
          bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
          break;
        case 'delete':
          bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
          break;
        case 'truncate':
          bytes = bytes.subarray(0, at);
          break;
        case 'lineEnds':
          bytes = Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, m.to), 'latin1');
          break;
        case 'header':
          bytes = Buffer.concat([Buffer.from(m.line + '\r\n'), bytes]);
          break;
        case 'replace':
          bytes = Buffer.from(bytes.toString('latin1').split(m.from).join(m.to), 'latin1');
          break;
      }
    }
    return bytes;
  }

  /** The message as each service posts it. */
  function posted(message: Buffer, how: number, token: string): InjectOptions {
    const url = `/v1/inbound/email${how % 2 ? '/mime' : ''}`;
    const headers = { 'x-sync-doctor-token': token };
    switch (how % 4) {
      case 0:
      case 1:
        return {
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'message/rfc822' },
          payload: message,
        };
      case 2: {
        const boundary = 'fuzzBoundary' + (how % 7);
        const field = how % 3 ? 'email' : 'body-mime';
        const payload = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n`),
          message,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        return {
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload,
        };
      }
      default:
        return {
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: JSON.stringify({
            RawEmail: message.toString(how % 8 === 3 ? 'latin1' : 'utf8'),
          }),
        };
    }
  }

  test('forwarded notices mutated byte by byte, posted every way (seed 8080, 250 runs)', async () => {
    // A sender policy the JSON fuzz may have set would refuse most of them before they are read.
    await relay.app.inject({
      method: 'DELETE',
      url: `/v1/admin/portals/${PORTAL}/sender-policy`,
      headers: admin,
    });
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(fixtures.length - 1),
        fc.array(byteMutation, { minLength: 1, maxLength: 4 }),
        fc.nat(1000),
        async (index, mutations, how) => {
          const message = mutateBytes(fixtures[index]!, mutations);
          const response = await checkAnswer(relay, posted(message, how, relay.token()));
          const code =
            response.statusCode < 300 ? String(response.statusCode) : response.json().code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
        },
      ),
      fuzzParameters(8080, 250),
    );
    if (process.env.FUZZ_STATS) console.log([...codes]);
  });

  const CSV_HEADER = 'Error type,Object,Field,Record ID,Error message,Date';
  const csvRow = fc
    .tuple(
      fc.constantFrom(
        'Field permission',
        'Property mapping',
        'Permissions',
        'Missing required field',
        '',
      ),
      fc.constantFrom('Contact', 'Company', 'Deal', 'Lead', ''),
      fc.constantFrom('Email', 'Phone', 'OwnerId', ''),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom('2026-11-20 10:00', '11/20/2026', '20.11.2026', '', 'not a date', '45250.5'),
    )
    .map((cells) =>
      cells
        .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
        .join(','),
    );

  type CsvMutation =
    | { kind: 'bom'; bom: string }
    | { kind: 'encoding'; encoding: 'utf16le' | 'latin1' | 'utf16be' }
    | { kind: 'quote'; at: number }
    | { kind: 'lineEnds'; to: string }
    | { kind: 'nul'; at: number }
    | { kind: 'delimiter'; to: string }
    | { kind: 'truncate'; at: number }
    | { kind: 'bytes'; at: number; bytes: Uint8Array };

  const csvMutation: fc.Arbitrary<CsvMutation> = fc.oneof(
    fc.record({
      kind: fc.constant('bom' as const),
      bom: fc.constantFrom('\ufeff', '\ufeff\ufeff', '\ufffe'),
    }),
    fc.record({
      kind: fc.constant('encoding' as const),
      encoding: fc.constantFrom('utf16le' as const, 'latin1' as const, 'utf16be' as const),
    }),
    fc.record({ kind: fc.constant('quote' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('lineEnds' as const),
      to: fc.constantFrom('\r', '\r\n', '\n\r', '\u2028'),
    }),
    fc.record({ kind: fc.constant('nul' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('delimiter' as const), to: fc.constantFrom(';', '\t', '|', '') }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('bytes' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 10 }),
    }),
  );

  function csvBytes(rows: string[], mutations: CsvMutation[]): Buffer {
    let text = [CSV_HEADER, ...rows].join('\n') + '\n';
    let encoding: 'utf16le' | 'latin1' | 'utf16be' | 'utf8' = 'utf8';
    let raw: { at: number; bytes: Uint8Array } | null = null;
    for (const m of mutations) {
      const at = text.length ? ('at' in m ? m.at % text.length : 0) : 0;
      switch (m.kind) {
        case 'bom':
          text = m.bom + text;
          break;
        case 'encoding':
          encoding = m.encoding;
          break;
        case 'quote':
          text = text.slice(0, at) + '"' + text.slice(at);
          break;
        case 'lineEnds':
          text = text.replace(/\r?\n/g, m.to);
          break;
        case 'nul':
          text = text.slice(0, at) + '\u0000' + text.slice(at);
          break;
        case 'delimiter':
          text = text.replace(/,/g, m.to);
          break;
        case 'truncate':
          text = text.slice(0, at);
          break;
        case 'bytes':
          raw = { at: m.at, bytes: m.bytes };
          break;
      }
    }
    let bytes =
      encoding === 'utf16be' ? Buffer.from(text, 'utf16le').swap16() : Buffer.from(text, encoding);
    if (raw) {
      const at = bytes.length ? raw.at % bytes.length : 0;
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(raw.bytes), bytes.subarray(at)]);
    }
    return bytes;
  }

  test('sync-error CSV exports mutated, uploaded by the admin or signed (seed 1313, 250 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(csvRow, { maxLength: 8 }),
        fc.array(csvMutation, { maxLength: 4 }),
        fc.constantFrom(
          'text/csv',
          'text/csv; charset=utf-8',
          'text/csv; charset=utf-16le',
          'text/csv; charset=bogus',
          'application/vnd.ms-excel',
        ),
        fc.boolean(),
        async (rows, mutations, type, signedUpload) => {
          const payload = csvBytes(rows, mutations);
          const headers = signedUpload
            ? { ...signedHeaders(relay.secret(), payload), 'content-type': type }
            : { ...admin, 'content-type': type };
          await checkAnswer(relay, {
            method: 'POST',
            url: `/v1/portals/${PORTAL}/sync-errors`,
            headers,
            payload,
          });
        },
      ),
      fuzzParameters(1313, 250),
    );
  });
});
