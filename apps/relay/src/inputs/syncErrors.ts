/**
 * HubSpot's sync-errors export, read as a stream: decoded, parsed row by row, counted by error type,
 * object and field, and turned into findings in the core's words. Its columns are found by
 * syncErrorColumns, and what makes an upload unreadable is said by csvInputErrors.
 */
import {
  classifySyncErrorText,
  syncErrorKindInfo,
  syncErrorRowDetail,
  type ReasonCode,
  type SyncErrorKind,
} from '@sync-doctor/core';
import { CsvError, parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvRows } from './csvRows.js';
import { CsvInputError, malformed, shownSeparator, WORKBOOK_SIGNATURES } from './csvInputErrors.js';
import { pickColumns, type Column } from './syncErrorColumns.js';
import { MessageFields, saysFieldError } from './syncErrorFields.js';
import {
  detectDelimiter,
  ExportDecoder,
  separatorHint,
  type DetectedEncoding,
} from './textDecoding.js';

export { CsvInputError } from './csvInputErrors.js';

interface SyncErrorFinding {
  /** The suspension reason this kind of error leads to, or null (picklist values, duplicates ...). */
  reason: ReasonCode | null;
  errorType: string;
  object: string | null;
  /**
   * The field as the export's field column names it, or, when that column is missing or holds no
   * Salesforce name (a HubSpot property such as 'hs_lead_score'), as Salesforce's message names it
   * ('Score__c', 'Lead.Score__c'): a row whose message names several fields is in each one's group.
   */
  field: string | null;
  /** Rows in this group; the records they stand for when the export has an affected-records column. */
  count: number;
  /** Rows in this group, present when `count` counts records (an affected-records column). */
  rows?: number;
  example: string | null;
  /** What kind of error the group is (the core's syncErrorKind): most are not about the integration user's rights. */
  kind: SyncErrorKind;
  /** The kind's short name ('Custom code in Salesforce'). */
  label: string;
  /**
   * What to do, naming the field or objects as Salesforce names them where the group says which:
   * the core's advice (syncErrorKindInfo), the same words the app, the CLI and the report give.
   */
  step: string;
  /** Present (true) when the group's message was longer than the relay keeps (MAX_KEPT_MESSAGE): it was classified from its start. */
  messageTruncated?: true;
}

interface SyncErrorReport {
  encoding: DetectedEncoding;
  delimiter: string;
  columns: Partial<Record<Column, string>>;
  /** Rows of the export (a row naming several fields still one). */
  rows: number;
  /**
   * Records the rows stand for, present when the export has an affected-records column: then
   * every count but `rows` (byErrorType, byObject, byField, each finding's count) counts records.
   */
  records?: number;
  byErrorType: Record<string, number>;
  byObject: Record<string, number>;
  byField: Record<string, number>;
  findings: SyncErrorFinding[];
  /** True when more distinct groups existed than are kept (the counts stay exact). */
  truncatedGroups: boolean;
}

const MAX_GROUPS = 5000;
/** Longest stretch of reading before the event loop is given back to other requests. */
const YIELD_MS = 10;
const MAX_FINDINGS = 200;
/**
 * Characters of each group's first message kept for classification: a row may be up to 1 MB,
 * and 5,000 groups of whole messages could hold gigabytes. Salesforce codes and HubSpot's
 * wording come first in these messages.
 */
export const MAX_KEPT_MESSAGE = 4096;
/** Characters of that message shown as the finding's example (an ellipsis says it was cut). */
const MAX_EXAMPLE = 500;

/** The core judges (Salesforce codes, the article's headings, HubSpot's Sync Health wording); the relay only reads. */
function reasonOfSyncError(errorType: string, message: string): ReasonCode | null {
  // The core reads 20,000 characters of a Sync Health error at most.
  return classifySyncErrorText(`${errorType}\n${message}`.slice(0, 20_000))?.reason ?? null;
}

/**
 * A copy of a string that holds on to nothing else. A cell is a substring of the text read, and in
 * V8 a substring of 13 characters or more keeps the whole text it was cut from alive: kept as a
 * group's key or example, each would keep a chunk of the upload in memory.
 */
const own = (text: string): string =>
  text.length < 13 ? text : Buffer.from(text, 'utf16le').toString('utf16le');

/** A count kept in its map's entry, so counting a key seen before is one lookup. */
type Count = { n: number };

const bump = (
  counts: Map<string, Count>,
  key: string,
  state: { truncated: boolean },
  by: number,
) => {
  const current = counts.get(key);
  if (current !== undefined) current.n += by;
  else if (counts.size < MAX_GROUPS) counts.set(own(key), { n: by });
  else {
    state.truncated = true;
    const other = counts.get('(other)');
    if (other !== undefined) other.n += by;
    else counts.set('(other)', { n: by });
  }
};

/**
 * Thousands written as exports write them: '1,204', '1.204', '1 204' (the separator used
 * throughout). Below a billion, so 100,000 rows' sum stays an exact (safe) integer.
 */
const RECORDS_COUNT = /^(?:\d{1,9}|\d{1,3}([,. \u00a0'])\d{3}(?:\1\d{3})?)$/;

/**
 * The records an affected-records cell says a row stands for. Anything else (blank, a word, a
 * fraction) counts as one: the row is one error at least, and a cell the relay cannot read
 * should neither drop it nor make it weigh what it may not.
 */
function recordsOfCell(cell: string | undefined): number {
  if (!cell || !RECORDS_COUNT.test(cell)) return 1;
  return Number(cell.replace(/\D/g, ''));
}

// Object.fromEntries, not assignment: a key such as "__proto__" stays a key.
const countsOf = (counts: Map<string, Count>): Record<string, number> =>
  Object.fromEntries(Array.from(counts, ([key, count]) => [key, count.n]));

/**
 * Streams a sync-errors export: decodes it, parses it row by row (never the whole file in
 * memory), counts by error type, object and field, and turns groups into findings.
 * `onBytes` sees every raw chunk (for a size limit and a streaming signature check).
 */
export async function readSyncErrors(
  source: AsyncIterable<Buffer | string>,
  onBytes: (chunk: Buffer) => void = () => undefined,
  /**
   * Runs once the whole body has been read and counted, before any group is classified. A throw
   * stops here. (The route verifies a signed upload before calling this at all: it spools the
   * body to a file while hashing it, and parses from the file only once the signature matches.)
   */
  beforeClassify: () => void = () => undefined,
): Promise<SyncErrorReport> {
  const iterator = source[Symbol.asyncIterator]();
  // Every chunk is read here, one read at a time, and shown to onBytes. After a CSV error the rest
  // of the body is still read (drain), so a signature over all of it can be checked before the
  // error is answered; the parser's reader may be waiting on a read then, and in one queue no
  // chunk is missed or seen twice.
  let reading: Promise<unknown> = Promise.resolve();
  const readChunk = (): Promise<Buffer | null> => {
    const read = reading.then(async () => {
      const next = await iterator.next();
      if (next.done) return null;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      onBytes(chunk);
      return chunk;
    });
    reading = read.catch(() => undefined);
    return read;
  };
  const drain = async () => {
    while ((await readChunk()) !== null);
  };

  const headChunks: Buffer[] = [];
  let headLength = 0;
  let exhausted = false;
  while (headLength < 16_384) {
    const chunk = await readChunk();
    if (chunk === null) {
      exhausted = true;
      break;
    }
    headChunks.push(chunk);
    headLength += chunk.length;
  }
  const head = Buffer.concat(headChunks);
  if (head.length === 0) throw new CsvInputError('EMPTY_BODY', 'the CSV is empty');
  if (
    WORKBOOK_SIGNATURES.some((signature) => head.subarray(0, signature.length).equals(signature))
  ) {
    await drain();
    throw new CsvInputError(
      'CSV_IS_EXCEL_WORKBOOK',
      'the upload is an Excel workbook (.xlsx or .xls) or another ZIP archive, not CSV text: ' +
        'save it as CSV (in Excel: File > Save As > "CSV UTF-8") and upload that file',
    );
  }
  const decoder = new ExportDecoder(head);
  let firstText = decoder.decode(head);
  // Excel's `sep=;` first line (after any BOM) names the separator and is not a row: honoured and
  // skipped. Without it, the header line's most frequent separator decides.
  const hint = separatorHint(firstText);
  if (hint !== null && 'unsupported' in hint) {
    await drain();
    throw new CsvInputError(
      'CSV_SEPARATOR_UNSUPPORTED',
      `the CSV's first line sep= names ${hint.unsupported === '' ? 'nothing' : shownSeparator(hint.unsupported)} ` +
        'as its separator; the relay reads a comma, semicolon or tab (sep=, sep=; or sep= and a tab), ' +
        'or no sep= line at all',
    );
  }
  if (hint !== null) firstText = firstText.slice(hint.skip);
  // From the header: the first line that is not blank (blank lines are skipped as rows; sniffed
  // from one, a semicolon export was read with commas, as one column).
  const delimiter =
    hint?.delimiter ??
    detectDelimiter(
      firstText
        .replace(/^\uFEFF/, '')
        .split(/\r\n?|\n/)
        .find((line) => line.trim() !== '') ?? '',
    );

  // Line endings are made uniform ("\r\n" -> "\n") so files that mix them (rows appended by
  // another tool) still parse; a "\r" at the end of a chunk waits for the next one.
  let pendingCr = '';
  const uniform = (piece: string, last = false): string => {
    let textPiece = pendingCr + piece;
    pendingCr = '';
    if (!last && textPiece.endsWith('\r')) {
      pendingCr = '\r';
      textPiece = textPiece.slice(0, -1);
    }
    return textPiece.replace(/\r\n?/g, '\n');
  };

  // The loop is given back to other requests at least every YIELD_MS of reading: a body that
  // arrives faster than it is read waits in the socket's buffers, and would otherwise be read in
  // one stretch of microtasks, however long.
  let lastYield = performance.now();
  async function* text(): AsyncGenerator<string> {
    yield uniform(firstText);
    if (!exhausted) {
      for (let chunk = await readChunk(); chunk !== null; chunk = await readChunk()) {
        yield uniform(decoder.decode(chunk));
        if (performance.now() - lastYield >= YIELD_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
    }
    yield uniform(decoder.end(), true);
  }

  const groups = { truncated: false };
  const byErrorType = new Map<string, Count>();
  const byObject = new Map<string, Count>();
  const byField = new Map<string, Count>();
  const findingGroups = new Map<
    string,
    {
      errorType: string;
      object: string | null;
      field: string | null;
      rows: number;
      records: number;
      /** Its message has Salesforce's field-error wording: it names a field to check. */
      namesField: boolean;
      example: string | null;
      message: string;
      messageTruncated: boolean;
    }
  >();
  let columns: Partial<Record<Column, number>> | null = null;
  let headers: string[] = [];
  let rows = 0;
  let errorTypeAt = -1;
  let objectAt = -1;
  let fieldAt = -1;
  let messageAt = -1;
  let recordsAt = -1;
  let records = 0;
  const messageFields = new MessageFields();

  const onRecord = (record: string[]) => {
    // A row of nothing but separators (Excel writes one for each formatted or cleared row below
    // the data, or above the header) is no row: it would count as an "(unspecified)" error.
    if (record.every((cell) => cell === '')) return;
    if (!columns) {
      headers = record;
      columns = pickColumns(record);
      if (columns.errorType === undefined && columns.message === undefined) {
        // The header names help the sender; capped, since a file that is not CSV has a "header" of anything.
        const named = record
          .slice(0, 20)
          .map((header) => (header.length > 60 ? `${header.slice(0, 60)}…` : header));
        throw new CsvInputError(
          'CSV_COLUMNS_UNKNOWN',
          `no error type or message column among: ${named.join(', ')}`,
        );
      }
      errorTypeAt = columns.errorType ?? -1;
      objectAt = columns.object ?? -1;
      fieldAt = columns.field ?? -1;
      messageAt = columns.message ?? -1;
      recordsAt = columns.records ?? -1;
      return;
    }
    rows++;
    // A column's cell, or null when the column is missing, the row is short or the cell empty.
    const errorType = (errorTypeAt < 0 ? '' : (record[errorTypeAt] ?? '')) || '(unspecified)';
    const object = (objectAt < 0 ? '' : (record[objectAt] ?? '')) || null;
    const field = (fieldAt < 0 ? '' : (record[fieldAt] ?? '')) || null;
    const message = messageAt < 0 ? '' : (record[messageAt] ?? '');
    const weight = recordsAt < 0 ? 1 : recordsOfCell(record[recordsAt]);
    records += weight;
    bump(byErrorType, errorType, groups, weight);
    if (object) bump(byObject, object, groups, weight);
    if (field)
      bump(byField, object && !field.includes('.') ? `${object}.${field}` : field, groups, weight);
    // Grouped by the fields Salesforce's message names when the field column cannot say which
    // (syncErrorFields.ts): the row counts in each named field's group.
    const kept = message.length > MAX_KEPT_MESSAGE ? message.slice(0, MAX_KEPT_MESSAGE) : message;
    const named = messageFields.of(field, kept);
    // Rows refusing another picklist value, or naming another inactive owner, are a group of their
    // own: each group's one example then speaks for all its rows (the core's syncErrorRowDetail).
    const detail = kept === '' ? '' : syncErrorRowDetail(kept);
    if (named.length === 0) addToGroup(errorType, object, field, detail, message, weight);
    else for (const name of named) addToGroup(errorType, object, name, detail, message, weight);
  };

  const addToGroup = (
    errorType: string,
    object: string | null,
    field: string | null,
    detail: string,
    message: string,
    weight: number,
  ) => {
    const key = `${errorType}\u0000${object ?? ''}\u0000${field ?? ''}\u0001${detail}`;
    const group = findingGroups.get(key);
    if (group) {
      group.rows++;
      group.records += weight;
    } else if (findingGroups.size < MAX_GROUPS) {
      findingGroups.set(own(key), {
        errorType: own(errorType),
        object: object === null ? null : own(object),
        field: field === null ? null : own(field),
        rows: 1,
        records: weight,
        namesField: saysFieldError(message.slice(0, MAX_KEPT_MESSAGE)),
        example:
          message === ''
            ? null
            : message.length > MAX_EXAMPLE
              ? own(`${message.slice(0, MAX_EXAMPLE)}…`)
              : own(message),
        message: own(message.slice(0, MAX_KEPT_MESSAGE)),
        messageTruncated: message.length > MAX_KEPT_MESSAGE,
      });
    } else groups.truncated = true;
  };

  // Rows are read by CsvRows while it is sure of them, as csv-parse would read them; from the
  // first record it is not sure of, csv-parse reads the rest (and words any error), its line
  // numbers counted on from where CsvRows stopped.
  // csv-parse's reader is made when reading starts (a Transform that costs nothing until written
  // to), so the moment the CSV starts being parsed stays one call to csv-parse's `parse`.
  const parser = parse({
    delimiter,
    record_delimiter: '\n',
    // The start of the text (and so its BOM) is CsvRows' to read.
    bom: false,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    max_record_size: 1_000_000,
  });
  const fast = new CsvRows(delimiter);
  // The skipped sep= line still counts in the line numbers errors name.
  if (hint !== null) fast.lines = 1;
  const pieces = text();
  try {
    let remainder: string | null = null;
    for (;;) {
      const next = await pieces.next();
      if (!fast.push(next.done ? '' : next.value, onRecord, next.done)) {
        remainder = fast.remainder;
        break;
      }
      if (next.done) break;
    }
    if (remainder !== null) {
      const rest = remainder;
      async function* restText(): AsyncGenerator<string> {
        yield rest;
        for await (const piece of pieces) yield piece;
      }
      const consume = async () => {
        for await (const record of parser as AsyncIterable<string[]>) onRecord(record);
      };
      await Promise.all([pipeline(Readable.from(restText()), parser), consume()]);
    }
  } catch (error) {
    parser.destroy();
    const unreadable =
      error instanceof CsvInputError
        ? error
        : error instanceof CsvError
          ? malformed(error, fast.lines)
          : null;
    if (!unreadable) throw error;
    await drain();
    throw unreadable;
  }
  if (!columns) throw new CsvInputError('CSV_COLUMNS_UNKNOWN', 'the CSV has no header row');
  beforeClassify();

  const countsRecords = recordsAt >= 0;
  const countOf = (group: { rows: number; records: number }) =>
    countsRecords ? group.records : group.rows;
  const findings: SyncErrorFinding[] = [...findingGroups.values()]
    // The groups whose message names a field first, then the largest: groups are only classified
    // once cut to MAX_FINDINGS, and a field HubSpot failed on is what a field-permission
    // suspension is checked by, however few rows name it.
    .sort((a, b) => Number(b.namesField) - Number(a.namesField) || countOf(b) - countOf(a))
    .slice(0, MAX_FINDINGS)
    .map((group) => {
      const reason = reasonOfSyncError(group.errorType, group.message);
      // Judged from the message kept (MAX_KEPT_MESSAGE), as the reason is; the example shown is shorter.
      const { kind, label, advice } = syncErrorKindInfo({
        reason,
        errorType: group.errorType,
        object: group.object,
        field: group.field,
        example: group.message,
      });
      return {
        reason,
        errorType: group.errorType,
        object: group.object,
        field: group.field,
        count: countOf(group),
        ...(countsRecords ? { rows: group.rows } : {}),
        example: group.example,
        kind,
        label,
        step: advice,
        ...(group.messageTruncated ? { messageTruncated: true as const } : {}),
      };
    });
  const picked = columns as Partial<Record<Column, number>>;
  return {
    // As read to the end: a Windows-1252 export may show it only after an ASCII start.
    encoding: decoder.encoding,
    delimiter,
    columns: Object.fromEntries(
      Object.entries(picked).map(([column, index]) => [column, headers[index as number]]),
    ),
    rows,
    ...(countsRecords ? { records } : {}),
    byErrorType: countsOf(byErrorType),
    byObject: countsOf(byObject),
    byField: countsOf(byField),
    findings,
    truncatedGroups: groups.truncated,
  };
}
