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
import { MessageFields, saysFieldError } from './syncErrorFields.js';
import {
  detectDelimiter,
  ExportDecoder,
  separatorHint,
  type DetectedEncoding,
} from './textDecoding.js';

// HubSpot's Sync Health tab (Settings > Integrations > Connected Apps > Salesforce > Sync Health)
// has an "Export errors" button (https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-sync-errors).
// HubSpot does not document the export's columns. The UI lists errors by "Error type" with
// "Affected records"; exports of this kind carry the object, the record, the field and the message.
// So columns are matched by name, case- and accent-insensitively, with English and Danish aliases,
// and the report says which columns it used. Assumption documented in docs/inputs.md. HubSpot's UI
// comes in more languages than these, and a user who exports in German or French gets German or
// French headings, so their translations are aliases too (de, fr, es, pt, nl, it, sv, no, fi, pl,
// ja): without them such an export was a 422 naming headers the relay did not know.
// Matching is exact after normalizeHeader, on both sides (accents folded, "ł" as "l").

// Aliases are tried in order, so a more specific or more useful name comes first: the field's
// Salesforce API name before a HubSpot property or a label, a Salesforce id before HubSpot's.
const COLUMN_ALIASES: Record<
  'errorType' | 'object' | 'field' | 'message' | 'recordId' | 'records',
  string[]
> = {
  errorType: [
    'error type',
    'error category',
    'category',
    'error',
    'type',
    'error reason',
    'reason',
    'fejltype',
    'fejlkategori',
    'error code',
    // de, fr, es, pt, nl, it, sv/no, fi, pl, ja
    'fehlertyp',
    'fehlerart',
    'fehlerkategorie',
    "type d'erreur",
    "catégorie d'erreur",
    'tipo de error',
    'tipo de erro',
    'fouttype',
    'type fout',
    'tipo di errore',
    'feltyp',
    'feiltype',
    'virhetyyppi',
    'typ błędu',
    'エラーの種類',
    'エラータイプ',
  ],
  object: [
    'object',
    'object type',
    'record type',
    'salesforce object',
    'hubspot object',
    'object name',
    'hubspot object type',
    'objekt',
    'objekttype',
    'sobject',
    'objekttyp',
    'objet',
    "type d'objet",
    'objeto',
    'tipo de objeto',
    'oggetto',
    'tipo di oggetto',
    'objekti',
    'obiekt',
    'typ obiektu',
    'オブジェクト',
  ],
  field: [
    'salesforce field api name',
    'salesforce field name',
    'field',
    'salesforce field',
    'field name',
    'property',
    'hubspot property',
    'property name',
    // A label names no field by its API name; taken only when nothing better is there.
    'field label',
    'property label',
    'felt',
    'egenskab',
    'feld',
    'eigenschaft',
    'champ',
    'propriété',
    'campo',
    'propiedad',
    'propriedade',
    'veld',
    'eigenschap',
    'proprietà',
    'fält',
    'egenskap',
    'kenttä',
    'ominaisuus',
    'pole',
    'właściwość',
    'フィールド',
    'プロパティ',
  ],
  message: [
    'error message',
    'message',
    'details',
    'error details',
    'error description',
    'description',
    'fejlmeddelelse',
    'besked',
    'beskrivelse',
    'fehlermeldung',
    'meldung',
    'nachricht',
    "message d'erreur",
    'mensaje de error',
    'mensaje',
    'mensagem de erro',
    'mensagem',
    'foutmelding',
    'bericht',
    'messaggio di errore',
    'messaggio',
    'felmeddelande',
    'feilmelding',
    'virheilmoitus',
    'komunikat błędu',
    'エラーメッセージ',
  ],
  recordId: [
    'record id',
    'salesforce id',
    'salesforce record id',
    'hubspot id',
    'hubspot record id',
    'object id',
    'id',
    'record',
    'datensatz-id',
    "id de l'enregistrement",
    'id del registro',
    'id do registro',
    'record-id',
    'id del record',
    'post-id',
    'tietueen id',
    'id rekordu',
    'レコードID',
  ],
  // How many records a row stands for, when an export gives one row per error (HubSpot's UI
  // lists errors with "Affected records"); without it, each row is one record.
  records: [
    'affected records',
    'records affected',
    'number of records',
    'count',
    'berørte poster',
    'berørte records',
    'antal berørte poster',
  ],
};

type Column = keyof typeof COLUMN_ALIASES;

const normalizeHeader = (header: string): string =>
  header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // What NFKD does not take apart (Polish "ł"), and the typographic apostrophe ("d’erreur").
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[_\s]+/g, ' ')
    .trim()
    .toLowerCase();

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
const WORKBOOK_SIGNATURES = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
];

/** The value of an unsupported `sep=` line, quoted for the error (it is a separator, not a cell, but capped all the same). */
const shownSeparator = (value: string): string =>
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
function malformed(error: CsvError, linesBefore = 0): CsvInputError {
  const line = (error as CsvError & { lines?: unknown }).lines;
  const where = typeof line === 'number' && line > 0 ? ` at line ${line + linesBefore}` : '';
  const meaning = CSV_ERROR_MEANINGS[error.code] ?? `it could not be parsed (${error.code})`;
  return new CsvInputError('CSV_MALFORMED', `the CSV is malformed${where}: ${meaning}`);
}

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

/** The aliases as normalizeHeader gives them, so each may be written as the language spells it. */
const NORMALIZED_ALIASES = Object.fromEntries(
  Object.entries(COLUMN_ALIASES).map(([column, aliases]) => [column, aliases.map(normalizeHeader)]),
) as Record<Column, string[]>;

function pickColumns(headers: string[]): Partial<Record<Column, number>> {
  const normalized = headers.map(normalizeHeader);
  const picked: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(NORMALIZED_ALIASES) as Column[]) {
    for (const alias of NORMALIZED_ALIASES[column]) {
      const index = normalized.indexOf(alias);
      if (index >= 0 && !Object.values(picked).includes(index)) {
        picked[column] = index;
        break;
      }
    }
  }
  return picked;
}

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
