import { Readable } from 'node:stream';
import { signPayload } from '../src/crypto/signature.js';
import { admin, createPortal, startTestRelay, type TestRelay } from './helpers.js';

// What Excel makes of HubSpot's Sync Health "Export errors" CSV when a user opens and re-saves it:
// a `sep=` line, semicolons in European locales, quoted headers, rows padded with empty columns,
// line breaks inside cells, a workbook saved instead of a CSV. Each is read as the export it was,
// or refused with a 4xx that names the problem.

const HEADER = ['Error type', 'Object', 'Field', 'Record ID', 'Error message'];
const FIELD_ROW = [
  'Salesforce field permission',
  'Contact',
  'Industry',
  '101',
  'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry. Please check the security settings of this field',
];
const PICKLIST_ROW = [
  'Picklist',
  'Lead',
  'Rating',
  '301',
  'Værdien "Varm; meget, i dag" findes ikke i valglisten "Rating"',
];

function lines(rows: string[][], delimiter: string, eol = '\r\n'): string {
  const cell = (value: string) =>
    /[",;\t\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return rows.map((row) => row.map(cell).join(delimiter)).join(eol) + eol;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);

describe('sync-errors CSV as Excel re-saves it', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '8800077';
  const url = `/v1/portals/${portalId}/sync-errors`;

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const upload = (payload: string | Buffer | Readable) =>
    relay.app.inject({
      method: 'POST',
      url,
      headers: { ...admin, 'content-type': 'text/csv' },
      payload,
    });

  /** The report of an export that should read as the two rows above. */
  const expectBothRows = (report: Record<string, unknown>) => {
    expect(report).toMatchObject({
      rows: 2,
      columns: {
        errorType: 'Error type',
        object: 'Object',
        field: 'Field',
        message: 'Error message',
        recordId: 'Record ID',
      },
      byErrorType: { 'Salesforce field permission': 1, Picklist: 1 },
      byField: { 'Contact.Industry': 1, 'Lead.Rating': 1 },
    });
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'FIELD_PERMISSIONS_MISSING', field: 'Industry' }),
        expect.objectContaining({
          errorType: 'Picklist',
          example: 'Værdien "Varm; meget, i dag" findes ikke i valglisten "Rating"',
        }),
      ]),
    );
  };

  describe("a first line `sep=X` (Excel's separator hint) names the separator and is skipped", () => {
    const body = (sep: string, delimiter: string) =>
      `sep=${sep}\r\n` + lines([HEADER, FIELD_ROW, PICKLIST_ROW], delimiter);
    const cases: [string, () => Buffer, string, string][] = [
      ['sep=; in UTF-8', () => Buffer.from(body(';', ';')), 'utf-8', ';'],
      ['sep=, in UTF-8', () => Buffer.from(body(',', ',')), 'utf-8', ','],
      [
        'sep=; after a UTF-8 BOM (Excel "CSV UTF-8")',
        () => Buffer.concat([UTF8_BOM, Buffer.from(body(';', ';'))]),
        'utf-8',
        ';',
      ],
      [
        'sep=<tab> in UTF-16LE with BOM (Excel "Unicode text")',
        () => Buffer.concat([UTF16LE_BOM, Buffer.from(body('\t', '\t'), 'utf16le')]),
        'utf-16le',
        '\t',
      ],
      [
        'sep=\\t spelled out, in UTF-16LE',
        () => Buffer.concat([UTF16LE_BOM, Buffer.from(body('\\t', '\t'), 'utf16le')]),
        'utf-16le',
        '\t',
      ],
      [
        'sep=; in Windows-1252 (Danish Excel "CSV")',
        () => Buffer.from(body(';', ';'), 'latin1'),
        'windows-1252',
        ';',
      ],
      [
        'SEP=; in capitals, LF line ends',
        () => Buffer.from(body(';', ';').replace(/^sep/, 'SEP').replace(/\r\n/g, '\n')),
        'utf-8',
        ';',
      ],
    ];

    test.each(cases)('%s', async (_name, bytes, encoding, delimiter) => {
      const response = await upload(bytes());
      expect(response.statusCode).toBe(201);
      const { report } = response.json();
      expect(report).toMatchObject({ encoding, delimiter });
      expectBothRows(report);
    });

    test('the hint wins over a header with more commas than semicolons', async () => {
      const text =
        'sep=;\r\nError type;Object;Field;Message, as HubSpot shows it, in full, unquoted\r\n' +
        'Salesforce field permission;Contact;Industry;INVALID_FIELD_FOR_INSERT_UPDATE\r\n';
      const response = await upload(text);
      expect(response.statusCode).toBe(201);
      expect(response.json().report).toMatchObject({
        delimiter: ';',
        rows: 1,
        columns: { errorType: 'Error type', field: 'Field' },
        byField: { 'Contact.Industry': 1 },
      });
    });

    test('streamed a few bytes at a time, BOM and hint cut across chunks', async () => {
      const bytes = Buffer.concat([UTF8_BOM, Buffer.from(body(';', ';'))]);
      const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) =>
        bytes.subarray(i * 3, i * 3 + 3),
      );
      const response = await upload(Readable.from(chunks));
      expect(response.statusCode).toBe(201);
      expect(response.json().report.delimiter).toBe(';');
      expectBothRows(response.json().report);
    });

    test('signed: the signature covers the hint line too', async () => {
      const bytes = Buffer.from(body(';', ';'));
      const timestamp = String(Math.floor(Date.now() / 1000));
      const response = await relay.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'text/csv',
          'x-sync-doctor-timestamp': timestamp,
          'x-sync-doctor-signature': signPayload(secret, timestamp, bytes),
        },
        payload: bytes,
      });
      expect(response.statusCode).toBe(201);
      expectBothRows(response.json().report);
    });

    test('a malformed row is reported at its line in the file, the hint line counted', async () => {
      const response = await upload('sep=;\nError type;Message\nok;fine\nab"c;def\n');
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'CSV_MALFORMED',
        error: expect.stringContaining('at line 4'),
      });
    });

    test.each([
      ['sep=|', 'sep=|\r\n', '"|"'],
      ['sep= (nothing)', 'sep=\r\n', 'nothing'],
      ['sep=;; (two characters)', 'sep=;;\r\n', '";;"'],
      ['sep=" (a quote)', 'sep="\r\n', '"\\""'],
    ])('%s: 422 CSV_SEPARATOR_UNSUPPORTED naming the value', async (_name, first, named) => {
      const response = await upload(first + lines([HEADER, FIELD_ROW], ';'));
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({
        statusCode: 422,
        code: 'CSV_SEPARATOR_UNSUPPORTED',
        error: expect.stringContaining(named),
      });
      expect(response.json().error).toMatch(/comma, semicolon or tab/);
    });

    test('a hint line and nothing else: no header row', async () => {
      const response = await upload('sep=;\r\n');
      expect([response.statusCode, response.json().code]).toEqual([422, 'CSV_COLUMNS_UNKNOWN']);
    });
  });

  describe('without a hint', () => {
    test('semicolons (European Excel) in UTF-8 with a BOM, with quoted headers', async () => {
      const text = lines([HEADER, FIELD_ROW, PICKLIST_ROW], ';').replace(
        lines([HEADER], ';'),
        HEADER.map((h) => `"${h}"`).join(';') + '\r\n',
      );
      expect(text.startsWith('"Error type";"Object"')).toBe(true);
      const response = await upload(Buffer.concat([UTF8_BOM, Buffer.from(text)]));
      expect(response.statusCode).toBe(201);
      expect(response.json().report).toMatchObject({ encoding: 'utf-8', delimiter: ';' });
      expectBothRows(response.json().report);
    });

    test('quoted headers with commas in a comma-separated file', async () => {
      const text =
        '"Error type","Object","Field","Record ID","Error message"\r\n' +
        lines([FIELD_ROW, PICKLIST_ROW], ',');
      const response = await upload(text);
      expect(response.statusCode).toBe(201);
      expectBothRows(response.json().report);
    });

    test('rows padded with empty columns, and rows of nothing but separators, are not counted', async () => {
      // Excel pads every row to the widest one used, and writes a row of separators for a row
      // that was only formatted (or cleared) below the data.
      const pad = ';;;';
      const text =
        lines([HEADER, FIELD_ROW, PICKLIST_ROW], ';').replace(/\r\n/g, `${pad}\r\n`) +
        ';;;;;;;;\r\n;;;;;;;;\r\n   ;  ;\r\n';
      const response = await upload(Buffer.from(text, 'latin1'));
      expect(response.statusCode).toBe(201);
      const { report } = response.json();
      expect(report).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
      expectBothRows(report);
      expect(report.byErrorType).not.toHaveProperty('(unspecified)');
    });

    test('a row of separators above the header is skipped too', async () => {
      const response = await upload(';;;;\r\n' + lines([HEADER, FIELD_ROW, PICKLIST_ROW], ';'));
      expect(response.statusCode).toBe(201);
      expectBothRows(response.json().report);
    });

    test('blank lines above the header leave the separator to the header', async () => {
      // Blank lines are skipped as rows, so the separator must not be sniffed from one either: a
      // semicolon export read with commas has one column, and was a 422 CSV_COLUMNS_UNKNOWN.
      for (const start of ['\r\n', '\r\n  \t \r\n', '\n\n']) {
        const response = await upload(start + lines([HEADER, FIELD_ROW, PICKLIST_ROW], ';'));
        expect(response.statusCode).toBe(201);
        expect(response.json().report).toMatchObject({ delimiter: ';' });
        expectBothRows(response.json().report);
      }
    });

    test('line breaks inside a quoted cell (CRLF, LF, CR) stay in one row', async () => {
      for (const eol of ['\r\n', '\n', '\r']) {
        const message = `INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry.${eol}Please check the security settings of this field`;
        const text = lines(
          [HEADER, [...FIELD_ROW.slice(0, 4), message], PICKLIST_ROW],
          ';',
          eol === '\r' ? '\r' : '\r\n',
        );
        const response = await upload(text);
        expect(response.statusCode).toBe(201);
        const { report } = response.json();
        expectBothRows(report);
        const field = report.findings.find(
          (f: { reason: string }) => f.reason === 'FIELD_PERMISSIONS_MISSING',
        );
        // Line ends are made uniform: the cell keeps its break as "\n".
        expect(field.example).toBe(message.replace(/\r\n?/g, '\n'));
      }
    });

    test.each([
      ['.xlsx (a zip)', Buffer.from('504b030414000600080000002100', 'hex')],
      ['.xls (OLE compound file)', Buffer.from('d0cf11e0a1b11ae1000000000000', 'hex')],
    ])(
      'an Excel workbook (%s) instead of a CSV: 422 CSV_IS_EXCEL_WORKBOOK',
      async (_name, magic) => {
        const response = await upload(Buffer.concat([magic, Buffer.alloc(2000, 0x41)]));
        expect(response.statusCode).toBe(422);
        expect(response.json()).toEqual({
          statusCode: 422,
          code: 'CSV_IS_EXCEL_WORKBOOK',
          error: expect.stringMatching(/Excel workbook.*save it as CSV/),
        });
      },
    );
  });
});
