import { classifySyncErrorText, SUSPENSION_REASONS, type ReasonCode } from '@sync-doctor/core';
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { detectDelimiter, detectEncoding, type DetectedEncoding } from './textDecoding.js';

// HubSpot's Sync Health tab (Settings > Integrations > Connected Apps > Salesforce > Sync Health)
// has an "Export errors" button (https://knowledge.hubspot.com/salesforce/resolve-salesforce-integration-sync-errors).
// HubSpot does not document the export's columns. The UI lists errors by "Error type" with
// "Affected records"; exports of this kind carry the object, the record, the field and the message.
// So columns are matched by name, case- and accent-insensitively, with English and Danish aliases,
// and the report says which columns it used. Assumption documented in the README.
const COLUMN_ALIASES: Record<'errorType' | 'object' | 'field' | 'message' | 'recordId', string[]> = {
  errorType: ['error type', 'error category', 'category', 'error', 'type', 'fejltype', 'fejlkategori', 'error code'],
  object: ['object', 'object type', 'record type', 'salesforce object', 'hubspot object', 'objekt', 'objekttype', 'sobject'],
  field: ['field', 'salesforce field', 'field name', 'property', 'hubspot property', 'property name', 'felt', 'egenskab'],
  message: ['error message', 'message', 'details', 'error details', 'description', 'fejlmeddelelse', 'besked', 'beskrivelse'],
  recordId: ['record id', 'hubspot id', 'hubspot record id', 'salesforce id', 'salesforce record id', 'object id', 'id', 'record'],
};

type Column = keyof typeof COLUMN_ALIASES;

export const normalizeHeader = (header: string): string =>
  header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
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

export interface SyncErrorFinding {
  /** The suspension reason this kind of error leads to, or null (picklist values, duplicates ...). */
  reason: ReasonCode | null;
  errorType: string;
  object: string | null;
  field: string | null;
  count: number;
  example: string | null;
  /** What to do, naming the object or field when the export says which. */
  step: string;
}

export interface SyncErrorReport {
  encoding: DetectedEncoding;
  delimiter: string;
  columns: Partial<Record<Column, string>>;
  rows: number;
  byErrorType: Record<string, number>;
  byObject: Record<string, number>;
  byField: Record<string, number>;
  findings: SyncErrorFinding[];
  /** True when more distinct groups existed than are kept (the counts stay exact). */
  truncatedGroups: boolean;
}

const MAX_GROUPS = 5000;
const MAX_FINDINGS = 200;

function pickColumns(headers: string[]): Partial<Record<Column, number>> {
  const normalized = headers.map(normalizeHeader);
  const picked: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(COLUMN_ALIASES) as Column[]) {
    for (const alias of COLUMN_ALIASES[column]) {
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
export function reasonOfSyncError(errorType: string, message: string): ReasonCode | null {
  return classifySyncErrorText(`${errorType}\n${message}`)?.reason ?? null;
}

function stepFor(reason: ReasonCode | null, errorType: string, object: string | null, field: string | null): string {
  if (reason === 'FIELD_PERMISSIONS_MISSING' && field) {
    const name = field.includes('.') || !object ? field : `${object}.${field}`;
    return `Give the integration user read and edit access to the field ${name} (field-level security)`;
  }
  if (reason === 'OBJECT_PERMISSIONS_MISSING' && object) return `Give the integration user read and edit access to ${object} and the objects its lookups reach`;
  if (reason === null) return `Resolve the "${errorType}" records in HubSpot's Sync Health tab, then resync them`;
  return SUSPENSION_REASONS[reason]?.remedy[0] ?? SUSPENSION_REASONS[reason]?.meaning ?? reason;
}

const bump = (counts: Map<string, number>, key: string, state: { truncated: boolean }) => {
  const current = counts.get(key);
  if (current !== undefined) counts.set(key, current + 1);
  else if (counts.size < MAX_GROUPS) counts.set(key, 1);
  else {
    state.truncated = true;
    counts.set('(other)', (counts.get('(other)') ?? 0) + 1);
  }
};

/**
 * Streams a sync-errors export: decodes it, parses it row by row (never the whole file in
 * memory), counts by error type, object and field, and turns groups into findings.
 * `onBytes` sees every raw chunk (for a size limit and a streaming signature check).
 */
export async function readSyncErrors(source: AsyncIterable<Buffer | string>, onBytes: (chunk: Buffer) => void = () => undefined): Promise<SyncErrorReport> {
  const iterator = source[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let exhausted = false;
  while (headLength < 16_384) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    onBytes(chunk);
    headChunks.push(chunk);
    headLength += chunk.length;
  }
  const head = Buffer.concat(headChunks);
  if (head.length === 0) throw new CsvInputError('EMPTY_BODY', 'the CSV is empty');
  const encoding = detectEncoding(head);
  const decoder = new TextDecoder(encoding);
  const firstText = decoder.decode(head, { stream: true });
  const delimiter = detectDelimiter(firstText.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '');

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

  async function* text(): AsyncGenerator<string> {
    yield uniform(firstText);
    if (!exhausted) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        onBytes(chunk);
        yield uniform(decoder.decode(chunk, { stream: true }));
      }
    }
    yield uniform(decoder.decode(), true);
  }

  const parser = parse({ delimiter, record_delimiter: '\n', bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 1_000_000 });
  const groups = { truncated: false };
  const byErrorType = new Map<string, number>();
  const byObject = new Map<string, number>();
  const byField = new Map<string, number>();
  const findingGroups = new Map<string, { errorType: string; object: string | null; field: string | null; count: number; example: string | null; message: string }>();
  let columns: Partial<Record<Column, number>> | null = null;
  let headers: string[] = [];
  let rows = 0;

  const consume = async () => {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        headers = record;
        columns = pickColumns(record);
        if (columns.errorType === undefined && columns.message === undefined) {
          throw new CsvInputError('CSV_COLUMNS_UNKNOWN', `no error type or message column among: ${record.slice(0, 20).join(', ')}`);
        }
        continue;
      }
      rows++;
      const cell = (column: Column) => {
        const index = columns![column];
        const value = index === undefined ? '' : (record[index] ?? '');
        return value === '' ? null : value;
      };
      const errorType = cell('errorType') ?? '(unspecified)';
      const object = cell('object');
      const field = cell('field');
      bump(byErrorType, errorType, groups);
      if (object) bump(byObject, object, groups);
      if (field) bump(byField, object && !field.includes('.') ? `${object}.${field}` : field, groups);
      const key = `${errorType}\u0000${object ?? ''}\u0000${field ?? ''}`;
      const group = findingGroups.get(key);
      if (group) group.count++;
      else if (findingGroups.size < MAX_GROUPS) {
        const message = cell('message');
        findingGroups.set(key, { errorType, object, field, count: 1, example: message ? message.slice(0, 500) : null, message: message ?? '' });
      } else groups.truncated = true;
    }
  };

  await Promise.all([pipeline(Readable.from(text()), parser), consume()]).catch((error: unknown) => {
    parser.destroy();
    if (error instanceof CsvInputError) throw error;
    const e = error as { code?: string; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) throw new CsvInputError('CSV_MALFORMED', `the CSV is malformed: ${e.message}`);
    throw error;
  });
  if (!columns) throw new CsvInputError('CSV_COLUMNS_UNKNOWN', 'the CSV has no header row');

  const findings: SyncErrorFinding[] = [...findingGroups.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_FINDINGS)
    .map((group) => {
      const reason = reasonOfSyncError(group.errorType, group.message);
      return { reason, errorType: group.errorType, object: group.object, field: group.field, count: group.count, example: group.example, step: stepFor(reason, group.errorType, group.object, group.field) };
    });
  const picked = columns as Partial<Record<Column, number>>;
  return {
    encoding,
    delimiter,
    columns: Object.fromEntries(Object.entries(picked).map(([column, index]) => [column, headers[index as number]])),
    rows,
    byErrorType: Object.fromEntries(byErrorType),
    byObject: Object.fromEntries(byObject),
    byField: Object.fromEntries(byField),
    findings,
    truncatedGroups: groups.truncated,
  };
}
