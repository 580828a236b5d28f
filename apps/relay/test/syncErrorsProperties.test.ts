/**
 * The sync-errors reader on generated exports, against counts taken from the rows themselves.
 * Each export has random cells (separators, quotes, line breaks, Danish letters, CJK and emoji
 * inside them), is written as Excel or HubSpot would write it (UTF-8 with or without a BOM,
 * UTF-16 either way round, Windows-1252; comma, semicolon or tab; CRLF or LF; a `sep=` line or
 * not; pages of plain ASCII rows before the first Danish letter, so the encoding is decided late)
 * and arrives cut at random byte offsets. Whatever the cuts, the report must count every row
 * under the error type, object and field the row holds, and be the same as the report of the
 * export read in one piece. The reader has a fast path (CsvRows) that hands over to csv-parse
 * mid-stream and a decoder that may change its mind after 16 KB: cuts land anywhere in both.
 * Seed fixed; a failure prints the export's rows and the cuts.
 */
import fc from 'fast-check';
import { readSyncErrors } from '../src/inputs/syncErrors.js';

type Encoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const PLAIN = [...'abcXYZ019 _-:()/'];
const AWKWARD = [',', ';', '\t', '"', '\n', '\r\n', '\r'];
/** Letters Windows-1252 has whose bytes are never valid UTF-8 after ASCII (so it is detected). */
const DANISH = [...'æøåéüÆØÅ'];
const BEYOND_1252 = ['日本', '😀', 'ł'];

/** A cell's text, trimmed (the reader trims cells) and not empty; no '.' so a field stays unqualified. */
function cellText(windows1252: boolean): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...PLAIN) },
    { weight: 2, arbitrary: fc.constantFrom(...AWKWARD) },
    { weight: 2, arbitrary: fc.constantFrom(...DANISH) },
    ...(windows1252 ? [] : [{ weight: 1, arbitrary: fc.constantFrom(...BEYOND_1252) }]),
  );
  return fc
    .array(unit, { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join('').trim())
    .filter((text) => text !== '');
}

interface Row {
  errorType: string;
  object: string;
  field: string;
  message: string;
  /** Quote every cell of the row, needed or not (Excel quotes some exports throughout). */
  quoted: boolean;
}

const exports = fc
  .constantFrom<Encoding>('utf-8', 'utf-8 with BOM', 'utf-16le', 'utf-16be', 'windows-1252')
  .chain((encoding) => {
    const cell = cellText(encoding === 'windows-1252');
    return fc.record({
      encoding: fc.constant(encoding),
      delimiter: fc.constantFrom(',', ';', '\t'),
      lineEnd: fc.constantFrom('\r\n', '\n'),
      sepLine: fc.boolean(),
      // ASCII rows first: over 16 KB of them and the decoder decides the encoding mid-stream.
      asciiRows: fc.oneof(fc.constant(0), fc.nat({ max: 1200 })),
      rows: fc.array(
        fc.record({
          errorType: cell,
          object: cell,
          field: cell,
          message: cell,
          quoted: fc.boolean(),
        }),
        { minLength: 1, maxLength: 25 },
      ),
      repeat: fc.integer({ min: 1, max: 20 }),
      cuts: fc.array(fc.integer({ min: 1, max: 6000 }), { minLength: 1, maxLength: 8 }),
      // A first cut just after the first byte above 0x7F: inside the letter that decides the
      // encoding, where the decoder must wait for the next piece.
      cutInFirstLetter: fc.boolean(),
    });
  });

function csvCell(text: string, delimiter: string, quoted: boolean): string {
  return quoted || text.includes(delimiter) || /["\r\n]/.test(text)
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8 with BOM':
      return Buffer.from(`\uFEFF${text}`, 'utf8');
    case 'utf-16le':
      return Buffer.from(`\uFEFF${text}`, 'utf16le');
    case 'utf-16be':
      return Buffer.from(`\uFEFF${text}`, 'utf16le').swap16();
    case 'windows-1252':
      // Every character used is Latin-1 above 0x9F, where Windows-1252 and Latin-1 agree.
      return Buffer.from(text, 'latin1');
  }
}

/**
 * The bytes in pieces: `first` bytes first when given, then pieces of `sizes` in turn (the last
 * piece whatever is left).
 */
async function* cut(
  bytes: Buffer,
  sizes: readonly number[],
  first?: number,
): AsyncGenerator<Buffer> {
  for (let at = 0, i = first === undefined ? 0 : -1; at < bytes.length; i++) {
    const size = i < 0 ? first! : sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** The reader reads CR LF and a lone CR inside a quoted cell as LF, as it does between rows. */
const asRead = (text: string) => text.replace(/\r\n?/g, '\n');

function countBy(rows: readonly Row[], key: (row: Row) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[key(row)] = (counts[key(row)] ?? 0) + 1;
  return counts;
}

const ASCII_ROW: Row = {
  errorType: 'Picklist',
  object: 'Lead',
  field: 'Rating',
  message: 'bad value for restricted picklist field',
  quoted: false,
};

describe('readSyncErrors on generated exports', () => {
  it('counts every row where it belongs, wherever the upload is cut (seed 2401, 400 runs)', async () => {
    const seen = { large: 0, decidedLate: 0 };
    await fc.assert(
      fc.asyncProperty(exports, async (e) => {
        const rows = [
          ...Array.from({ length: e.asciiRows }, () => ASCII_ROW),
          ...Array.from({ length: e.repeat }, () => e.rows).flat(),
        ];
        const d = e.delimiter;
        const lines = [
          ...(e.sepLine ? [`sep=${d}`] : []),
          ['Error type', 'Object', 'Field', 'Error message'].join(d),
          ...rows.map((r) =>
            [r.errorType, r.object, r.field, r.message].map((c) => csvCell(c, d, r.quoted)).join(d),
          ),
        ];
        const bytes = encode(lines.join(e.lineEnd) + e.lineEnd, e.encoding);
        if (bytes.length > 16_384) seen.large += 1;
        if (e.encoding === 'windows-1252' && bytes.subarray(0, 16_384).every((b) => b < 0x80))
          seen.decidedLate += 1;

        const whole = await readSyncErrors(cut(bytes, [bytes.length]));
        expect(whole.rows).toBe(rows.length);
        expect(whole.byErrorType).toEqual(countBy(rows, (r) => asRead(r.errorType)));
        expect(whole.byObject).toEqual(countBy(rows, (r) => asRead(r.object)));
        expect(whole.byField).toEqual(
          countBy(rows, (r) => `${asRead(r.object)}.${asRead(r.field)}`),
        );
        const firstLetter = bytes.findIndex((b) => b > 0x7f);
        const first = e.cutInFirstLetter && firstLetter >= 0 ? firstLetter + 1 : undefined;
        expect(await readSyncErrors(cut(bytes, e.cuts, first))).toEqual(whole);
      }),
      { seed: 2401, numRuns: 400 },
    );
    // The runs must reach past the 16 KB head, and a Windows-1252 export decided mid-stream.
    expect(seen.large).toBeGreaterThan(50);
    expect(seen.decidedLate).toBeGreaterThan(5);
  });
});
