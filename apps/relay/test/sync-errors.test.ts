import { syncErrorKindInfo } from '@sync-doctor/core';
import { Readable } from 'node:stream';
import { signPayload } from '../src/crypto/signature.js';
import { detectEncoding } from '../src/inputs/textDecoding.js';
import pino from 'pino';
import { buildApp, loggerOptions } from '../src/app.js';
import {
  admin,
  captureLogs,
  createPortal,
  RecordingPublisher,
  startTestRelay,
  tempDir,
  testConfig,
  type TestRelay,
} from './helpers.js';

// Sync Health "Export errors" CSVs, as exported and as Excel re-saves them.
const HEADER = ['Error type', 'Object', 'Field', 'Record ID', 'Error message', 'Date'];
const ROWS = [
  [
    'Salesforce field permission',
    'Contact',
    'Industry',
    '101',
    'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry. Please check the security settings of this field',
    '2026-11-27',
  ],
  [
    'Salesforce field permission',
    'Contact',
    'Industry',
    '102',
    'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry. Please check the security settings of this field',
    '2026-11-27',
  ],
  [
    'Insufficient access or missing Salesforce record',
    'Opportunity',
    '',
    '201',
    'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: insufficient access rights on cross-reference id',
    '2026-11-27',
  ],
  [
    'Picklist',
    'Lead',
    'Rating',
    '301',
    'Værdien "Varm, meget" findes ikke i valglisten "Rating"',
    '2026-11-28',
  ],
];

function csv(rows: string[][], delimiter = ','): string {
  const cell = (value: string) =>
    /[",;\t\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return [HEADER, ...rows].map((row) => row.map(cell).join(delimiter)).join('\r\n') + '\r\n';
}

function windows1252(text: string): Buffer {
  // Latin-1 covers every character of these fixtures; Windows-1252 equals it there.
  return Buffer.from(text, 'latin1');
}

describe('sync-errors CSV', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '8800001';
  const url = `/v1/portals/${portalId}/sync-errors`;

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const upload = (payload: string | Buffer | Readable, contentType = 'text/csv') =>
    relay.app.inject({
      method: 'POST',
      url,
      headers: { ...admin, 'content-type': contentType },
      payload,
    });

  const encodings: [string, () => Buffer, string, string][] = [
    ['UTF-8', () => Buffer.from(csv(ROWS), 'utf8'), 'utf-8', ','],
    [
      'UTF-8 with BOM',
      () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(ROWS), 'utf8')]),
      'utf-8',
      ',',
    ],
    [
      'UTF-16LE with BOM, tab-separated (Excel "Unicode text")',
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(ROWS, '\t'), 'utf16le')]),
      'utf-16le',
      '\t',
    ],
    [
      'Windows-1252, semicolon-separated (Danish Excel)',
      () => windows1252(csv(ROWS, ';')),
      'windows-1252',
      ';',
    ],
  ];

  test.each(encodings)(
    '%s: counted by type, object and field, with findings that name the field',
    async (_name, bytes, encoding, delimiter) => {
      const response = await upload(bytes());
      expect(response.statusCode).toBe(201);
      const { report } = response.json();
      expect(report).toMatchObject({ encoding, delimiter, rows: 4 });
      expect(report.byErrorType).toEqual({
        'Salesforce field permission': 2,
        'Insufficient access or missing Salesforce record': 1,
        Picklist: 1,
      });
      expect(report.byObject).toEqual({ Contact: 2, Opportunity: 1, Lead: 1 });
      expect(report.byField).toEqual({ 'Contact.Industry': 2, 'Lead.Rating': 1 });
      const [first] = report.findings;
      expect(first).toMatchObject({
        reason: 'FIELD_PERMISSIONS_MISSING',
        object: 'Contact',
        field: 'Industry',
        count: 2,
        step: expect.stringContaining('Contact.Industry'),
      });
      expect(
        report.findings.find((f: { object: string }) => f.object === 'Opportunity'),
      ).toMatchObject({ reason: 'OBJECT_PERMISSIONS_MISSING' });
      const picklist = report.findings.find(
        (f: { errorType: string }) => f.errorType === 'Picklist',
      );
      // Quotes, the embedded comma and the Danish letters survived every encoding.
      expect(picklist).toMatchObject({
        reason: null,
        example: 'Værdien "Varm, meget" findes ikke i valglisten "Rating"',
      });
    },
  );

  test.each([
    ['in the first chunk, past the first 4 KB', 60],
    ['in a later chunk, past the first 16 KB', 400],
  ])(
    'a Windows-1252 export whose first non-ASCII letter comes late (%s) is read as Windows-1252, not with U+FFFD',
    async (_where, asciiRows) => {
      // Danish Excel: an ASCII header and English error rows first; a Danish field name further down.
      const rows = Array.from({ length: asciiRows }, (_, i) => [
        'Picklist',
        'Lead',
        'Rating',
        String(1000 + i),
        `Value "Hot ${i}" is not in the picklist "Rating"`,
        '2026-11-27',
      ]);
      rows.push([
        'Salesforce field permission',
        'Contact',
        'Fødselsdato__c',
        '5001',
        'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Fødselsdato__c. Please check the security settings of this field',
        '2026-11-28',
      ]);
      const bytes = windows1252(csv(rows, ';'));
      expect(bytes.indexOf(0xf8)).toBeGreaterThan(asciiRows > 100 ? 16_384 : 4096);
      // Streamed in 1 KB chunks, as a slow upload arrives.
      const chunks = Array.from({ length: Math.ceil(bytes.length / 1024) }, (_, i) =>
        bytes.subarray(i * 1024, (i + 1) * 1024),
      );
      const response = await upload(Readable.from(chunks));
      expect(response.statusCode).toBe(201);
      const { report } = response.json();
      expect(report).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
      expect(report.byField).toEqual({
        'Lead.Rating': asciiRows,
        'Contact.Fødselsdato__c': 1,
      });
      expect(
        report.findings.find((f: { reason: string }) => f.reason === 'FIELD_PERMISSIONS_MISSING'),
      ).toMatchObject({
        field: 'Fødselsdato__c',
        // Not a Salesforce API name (those are ASCII): named as the export wrote it, never dotted.
        step: expect.stringContaining('"Fødselsdato__c" (Contact)'),
      });
    },
  );

  test('a UTF-8 export whose first non-ASCII letter comes late stays UTF-8', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => [
      'Picklist',
      'Lead',
      'Rating',
      String(1000 + i),
      `Value ${i} is not in the picklist`,
      '2026-11-27',
    ]);
    rows.push(['Picklist', 'Lead', 'Vurdering', '9', 'Værdien "Varm" findes ikke', '2026-11-28']);
    const response = await upload(Buffer.from(csv(rows), 'utf8'));
    expect(response.statusCode).toBe(201);
    expect(response.json().report).toMatchObject({
      encoding: 'utf-8',
      byField: { 'Lead.Rating': 400, 'Lead.Vurdering': 1 },
    });
  });

  test('encoding detection on its own', () => {
    expect(detectEncoding(Buffer.from('Error type,Object\n', 'utf16le'))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from([0x61, 0xf8, 0x62]))).toBe('windows-1252');
    // A UTF-8 sample cut inside a two-byte character is still UTF-8.
    expect(detectEncoding(Buffer.from('abcæ', 'utf8').subarray(0, 4))).toBe('utf-8');
  });

  test('100,000 rows, streamed in small chunks, counted exactly', async () => {
    const total = 100_000;
    function* chunks() {
      yield Buffer.from(csv([]), 'utf8');
      for (let start = 0; start < total; start += 1000) {
        const lines: string[] = [];
        for (let i = start; i < start + 1000; i++) {
          const field = i % 3 === 0 ? 'Industry' : i % 3 === 1 ? 'Phone' : 'Custom_Score__c';
          lines.push(
            `Salesforce field permission,Contact,${field},${i},"INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: ${field}, please check",2026-11-28`,
          );
        }
        yield Buffer.from(lines.join('\n') + '\n', 'utf8');
      }
    }
    const response = await upload(Readable.from(chunks()));
    expect(response.statusCode).toBe(201);
    const { report } = response.json();
    expect(report.rows).toBe(total);
    expect(report.byField).toEqual({
      'Contact.Industry': 33_334,
      'Contact.Phone': 33_333,
      'Contact.Custom_Score__c': 33_333,
    });
    expect(
      report.findings.map((f: { field: string; count: number }) => [f.field, f.count]),
    ).toEqual([
      ['Industry', 33_334],
      ['Phone', 33_333],
      ['Custom_Score__c', 33_333],
    ]);
  });

  test("each finding carries the core's kind, label and advice: a validation rule, a duplicate and an inactive owner are no permission", async () => {
    const rows = [
      [
        'Salesforce validation rule',
        'Contact',
        'Phone',
        '401',
        'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits',
        '2026-11-29',
      ],
      [
        'Duplicate record',
        'Lead',
        '',
        '402',
        'DUPLICATES_DETECTED: Use one of these records?',
        '2026-11-29',
      ],
      [
        'Salesforce error',
        'Contact',
        '',
        '403',
        'INACTIVE_OWNER_OR_USER: operation performed with inactive user [005000000000001] as owner of contact',
        '2026-11-29',
      ],
    ];
    const response = await upload(Buffer.from(csv(rows), 'utf8'));
    expect(response.statusCode).toBe(201);
    const findings: Record<string, unknown>[] = response.json().report.findings;
    const of = (errorType: string) => findings.find((f) => f.errorType === errorType);
    expect(of('Salesforce validation rule')).toMatchObject({
      reason: null,
      kind: 'custom-code',
      label: 'Custom code in Salesforce',
      step: expect.stringContaining(
        "A validation rule (or a flow's Custom Error) refused the record with this message",
      ),
    });
    expect(of('Duplicate record')).toMatchObject({
      reason: null,
      kind: 'duplicate',
      label: 'Duplicates',
      step: expect.stringContaining('A Salesforce duplicate rule refused the record'),
    });
    // The record's owner is inactive: not the integration user's lost API access.
    expect(of('Salesforce error')).toMatchObject({
      reason: null,
      kind: 'owner',
      label: 'Inactive owner',
      step: expect.stringContaining("The records' Salesforce owner is inactive"),
    });
    // The words are the core's, the ones the app, the CLI and the report give: never a copy.
    for (const finding of findings) {
      const info = syncErrorKindInfo({
        reason: finding.reason as null,
        errorType: finding.errorType as string,
        object: finding.object as string | null,
        field: finding.field as string | null,
        example: finding.example as string | null,
      });
      expect(finding).toMatchObject({ kind: info.kind, label: info.label, step: info.advice });
    }
    // And the OpenAPI document describes them.
    const spec = (await relay.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const finding =
      spec.paths['/v1/portals/{portalId}/sync-errors'].post.responses['201'].content[
        'application/json'
      ].schema.properties.report.properties.findings.items;
    expect(finding.required).toEqual(expect.arrayContaining(['kind', 'label', 'step']));
    expect(JSON.stringify(finding.properties.kind)).toContain('custom-code');
  });

  test('signed upload: accepted with the right signature, refused (and not stored) with a wrong one', async () => {
    const body = Buffer.from(csv(ROWS), 'utf8');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = { 'content-type': 'text/csv', 'x-sync-doctor-timestamp': timestamp };
    const good = await relay.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'x-sync-doctor-signature': signPayload(secret, timestamp, body) },
      payload: body,
    });
    expect(good.statusCode).toBe(201);
    const before = await relay.app.store.latestSyncErrorReport(portalId);
    const bad = await relay.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'x-sync-doctor-signature': signPayload('wrong', timestamp, body) },
      payload: body,
    });
    expect([bad.statusCode, bad.json().code]).toEqual([401, 'SIGNATURE_MISMATCH']);
    expect((await relay.app.store.latestSyncErrorReport(portalId))?.id).toBe(before?.id);
    const latest = await relay.app.inject({ method: 'GET', url: `${url}/latest`, headers: admin });
    expect(latest.json().id).toBe(before?.id);
  });
});

/** Bytes that look like nothing at all: the same every run (a linear congruential generator). */
function noise(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = state >>> 16;
  }
  return bytes;
}

describe('sync-errors CSV that cannot be read', () => {
  const portalId = '8800002';
  const url = `/v1/portals/${portalId}/sync-errors`;
  const quoteInsideField = 'Error type,Message\nab"c,def-secret-cell\n';

  test('a quote inside an unquoted field, or random bytes: 422 CSV_MALFORMED with the line, logged at info without the content', async () => {
    const dir = tempDir();
    const config = testConfig(dir.path, {
      logEnabled: true,
      logLevel: 'info',
      publisher: new RecordingPublisher(),
    });
    const logs = captureLogs(loggerOptions(config) as pino.LoggerOptions);
    const app = await buildApp(config, { loggerInstance: logs.logger });
    try {
      await app.ready();
      await createPortal(app, portalId);
      const quoted = await app.inject({
        method: 'POST',
        url,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: quoteInsideField,
      });
      expect(quoted.statusCode).toBe(422);
      expect(quoted.json()).toEqual({
        statusCode: 422,
        code: 'CSV_MALFORMED',
        error: expect.stringMatching(/line 2: a field has a double quote/),
      });
      expect(quoted.body).not.toContain('secret-cell');
      // Random bytes, as one chunk and streamed in many: never a 500.
      for (const payload of [
        noise(4096),
        noise(200_000, 11),
        Readable.from([noise(20_000, 3), noise(20_000, 5), noise(20_000, 9)]),
      ]) {
        const garbage = await app.inject({
          method: 'POST',
          url,
          headers: { ...admin, 'content-type': 'text/csv' },
          payload,
        });
        expect(garbage.statusCode).toBe(422);
        expect(garbage.json().code).toMatch(/^CSV_(MALFORMED|COLUMNS_UNKNOWN)$/);
        expect(garbage.body.length).toBeLessThan(2000);
      }
      expect(await app.store.latestSyncErrorReport(portalId)).toBeNull();
    } finally {
      await app.close();
      dir.remove();
    }
    const entries = logs.entries();
    expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
    expect(entries.filter((entry) => entry.code === 'CSV_MALFORMED').length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain('secret-cell');
  });

  test('a forged signature with a malformed CSV is a 401, not a 422: the signature is checked first', async () => {
    const relay = await startTestRelay();
    try {
      const { signingSecret } = await createPortal(relay.app, portalId);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers = { 'content-type': 'text/csv', 'x-sync-doctor-timestamp': timestamp };
      // The malformed row first, then plenty more: the rest of the body is still read and hashed.
      const body = Buffer.from(quoteInsideField + 'Field permission,fine\n'.repeat(5000));
      const forged = await relay.app.inject({
        method: 'POST',
        url,
        headers: {
          ...headers,
          'x-sync-doctor-signature': signPayload('sdwh_wrong', timestamp, body),
        },
        payload: body,
      });
      expect([forged.statusCode, forged.json().code]).toEqual([401, 'SIGNATURE_MISMATCH']);
      const chunked = await relay.app.inject({
        method: 'POST',
        url,
        headers: {
          ...headers,
          'x-sync-doctor-signature': signPayload(signingSecret, timestamp, body),
        },
        payload: Readable.from([
          body.subarray(0, 10),
          body.subarray(10, 50_000),
          body.subarray(50_000),
        ]),
      });
      expect([chunked.statusCode, chunked.json().code]).toEqual([422, 'CSV_MALFORMED']);
      const noColumns = Buffer.from('a,b\n1,2\n');
      const forgedNoColumns = await relay.app.inject({
        method: 'POST',
        url,
        headers: {
          ...headers,
          'x-sync-doctor-signature': signPayload('sdwh_wrong', timestamp, noColumns),
        },
        payload: noColumns,
      });
      expect(forgedNoColumns.statusCode).toBe(401);
      const forgedEmpty = await relay.app.inject({
        method: 'POST',
        url,
        headers: {
          ...headers,
          'x-sync-doctor-signature': signPayload('sdwh_wrong', timestamp, ''),
        },
        payload: '',
      });
      expect(forgedEmpty.statusCode).toBe(401);
    } finally {
      await relay.close();
    }
  });

  test('signed in uppercase hex: accepted; a wrong admin token without a signature: ADMIN_TOKEN_INVALID', async () => {
    const relay = await startTestRelay();
    try {
      const { signingSecret } = await createPortal(relay.app, portalId);
      const body = Buffer.from(csv(ROWS), 'utf8');
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = signPayload(signingSecret, timestamp, body).replace(
        /^v1=(.*)$/,
        (_all, hex: string) => `v1=${hex.toUpperCase()}`,
      );
      const upper = await relay.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'text/csv',
          'x-sync-doctor-timestamp': timestamp,
          'x-sync-doctor-signature': signature,
        },
        payload: body,
      });
      expect(upper.statusCode).toBe(201);
      const wrongToken = await relay.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'text/csv', authorization: 'Bearer not-the-admin-token-at-all' },
        payload: body,
      });
      expect([wrongToken.statusCode, wrongToken.json().code]).toEqual([401, 'ADMIN_TOKEN_INVALID']);
    } finally {
      await relay.close();
    }
  });
});
