/**
 * What is wrong with an upload that is no readable sync-errors CSV, in words for whoever uploaded it
 * (a 4xx from the route), never quoting its content.
 */
import type { CsvError } from 'csv-parse';

export class CsvInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The first bytes of a spreadsheet saved instead of a CSV: a ZIP archive (.xlsx, .ods) or an OLE
 * compound file (.xls). Read as text, either is a 422 about quotes or columns that says nothing
 * useful to whoever uploaded it.
 */
export const WORKBOOK_SIGNATURES = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
];

/** The value of an unsupported `sep=` line, quoted for the error (it is a separator, not a cell, but capped all the same). */
export const shownSeparator = (value: string): string =>
  JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);

/** What each csv-parse error means, in words (its own messages quote the offending cell). */
const CSV_ERROR_MEANINGS: Record<string, string> = {
  INVALID_OPENING_QUOTE:
    'a field has a double quote (") inside it but does not start with one; quote the whole field and double the quotes inside it',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field has text right after its closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'a quoted field has text right after its closing quote',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_MAX_RECORD_SIZE: 'a row is longer than 1,000,000 characters (is this a CSV file?)',
};

/**
 * A csv-parse error as a CsvInputError: where, and what is wrong, but never the content (the
 * error's own message and fields carry the cell, which may be customer data).
 */
export function malformed(error: CsvError, linesBefore = 0): CsvInputError {
  const line = (error as CsvError & { lines?: unknown }).lines;
  const where = typeof line === 'number' && line > 0 ? ` at line ${line + linesBefore}` : '';
  const meaning = CSV_ERROR_MEANINGS[error.code] ?? `it could not be parsed (${error.code})`;
  return new CsvInputError('CSV_MALFORMED', `the CSV is malformed${where}: ${meaning}`);
}
