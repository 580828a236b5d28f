import { parse as parseSync } from 'csv-parse/sync';
import { CsvRows } from '../src/inputs/csvRows.js';

// CsvRows must read exactly the rows csv-parse reads with readSyncErrors' options, and leave to
// csv-parse whatever it is not sure of. Checked against csv-parse itself on many small texts made
// of the characters that matter (quotes, delimiters, newlines, whitespace JavaScript trims and
// characters it does not), cut into chunks anywhere.

const OPTIONS = {
  record_delimiter: '\n',
  relax_column_count: true,
  skip_empty_lines: true,
  trim: true,
  max_record_size: 1_000_000,
} as const;

type Outcome = { records: string[][] } | { error: string; line: unknown };

// csv-parse/sync has its own CsvError class: known by its code.
type CsvError = Error & { code: string; lines?: unknown };
const isCsvError = (error: unknown): error is CsvError =>
  error instanceof Error && typeof (error as CsvError).code === 'string';

function reference(text: string, delimiter: string): Outcome {
  try {
    return { records: parseSync(text, { ...OPTIONS, delimiter, bom: true }) as string[][] };
  } catch (error) {
    if (!isCsvError(error)) throw error;
    return { error: error.code, line: error.lines };
  }
}

function fast(text: string, delimiter: string, cuts: number[]): Outcome {
  const rows = new CsvRows(delimiter);
  const records: string[][] = [];
  const onRecord = (record: string[]) => void records.push(record);
  let at = 0;
  let going = true;
  for (const cut of [...cuts, text.length]) {
    if (!going) break;
    going = rows.push(text.slice(at, cut), onRecord, false);
    at = cut;
  }
  if (going) going = rows.push('', onRecord, true);
  if (going) return { records };
  const rest = rows.remainder! + text.slice(at);
  try {
    records.push(...(parseSync(rest, { ...OPTIONS, delimiter, bom: false }) as string[][]));
    return { records };
  } catch (error) {
    if (!isCsvError(error)) throw error;
    const line = error.lines;
    return { error: error.code, line: typeof line === 'number' ? line + rows.lines : line };
  }
}

/** The same texts every run: a linear congruential generator. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state >>> 8) % n;
  };
}

describe('CsvRows reads rows as csv-parse does', () => {
  test.each([',', ';', '\t'])('random texts with delimiter %j, in random chunks', (delimiter) => {
    const next = generator(delimiter.charCodeAt(0));
    const pieces = [
      'a',
      'bc',
      'Æø',
      '"',
      '""',
      ',',
      ';',
      '\t',
      '\n',
      '\n',
      ' ',
      '  ',
      '\u00a0',
      '\u2028',
      '\ufeff',
      '\u180e',
      '\u0085',
      '😀',
      'x y',
    ];
    const differences: unknown[] = [];
    for (let run = 0; run < 4000; run++) {
      let text = '';
      const length = 1 + next(24);
      for (let i = 0; i < length; i++) text += pieces[next(pieces.length)];
      const cuts: number[] = [];
      for (let i = 1; i < text.length; i++) if (next(4) === 0) cuts.push(i);
      const expected = reference(text, delimiter);
      const actual = fast(text, delimiter, cuts);
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        differences.push({ text, cuts, actual, expected });
    }
    expect(differences.slice(0, 3)).toEqual([]);
  });

  test.each([
    [
      'quoted fields over lines, doubled quotes, whitespace around',
      'a, " b ""x""\nc " ,\t d \n\n   \n"",e\n',
    ],
    ['a BOM at the start only', '\ufeffa,b\n\ufeffc,d\n'],
    ['a last line without a newline', 'a,b\nc,"d\ne"'],
    ['a quote inside an unquoted field (line 3)', 'a,b\n"c\nd",e\nf,g"h\n'],
    ['text after a closing quote (line 2)', 'a,b\n"c"d,e\n'],
    ['a quote never closed', 'a,b\n"c,d\ne,f\n'],
    ['an empty quoted field then a quote', 'a,b\n"" "x",y\n'],
    ['a record longer than csv-parse allows', `a,b\n${'x'.repeat(1_000_001)},c\nd\n`],
    ['a long record it leaves to csv-parse', `a,b\n${'é'.repeat(400_000)},c\nd\n`],
  ])('%s', (_name, text) => {
    for (const cuts of [[], [1, 2, 3, 5, 8, 13], [text.length >> 1]])
      expect(fast(text, ',', cuts)).toEqual(reference(text, ','));
  });

  test('a realistic export is read without csv-parse; a line that never ends is not held', () => {
    const rows = new CsvRows(',');
    let count = 0;
    const line =
      'Salesforce field permission,Contact,Industry,101,"INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry, ""quoted"""\n';
    for (let i = 0; i < 1000; i++) expect(rows.push(line, () => count++)).toBe(true);
    expect(rows.push('', () => count++, true)).toBe(true);
    expect(count).toBe(1000);
    const endless = new CsvRows(',');
    let going = true;
    for (let i = 0; i < 100 && going; i++)
      going = endless.push('x'.repeat(10_000), () => undefined);
    expect(going).toBe(false);
    expect(endless.remainder!.length).toBeLessThan(400_000);
  });
});
