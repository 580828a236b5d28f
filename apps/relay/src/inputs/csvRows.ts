/**
 * A fast reader for the rows of a sync-errors export, for the common case only, that gives exactly
 * the rows csv-parse gives with the options readSyncErrors uses (one-character delimiter, "\n"
 * between records, `bom`, `relax_column_count`, `skip_empty_lines`, `trim`, `max_record_size`
 * 1,000,000): fields split at the delimiter and trimmed of whitespace (csv-parse's trimmable
 * characters are JavaScript's whitespace), quoted fields with doubled quotes inside them, quoted
 * fields over several lines, lines of nothing but whitespace skipped.
 *
 * csv-parse reads byte by byte through a state machine; this reads a line at a time with indexOf
 * and split, which is several times faster on a 100,000-row export. Whatever it is not sure of
 * (a quote inside an unquoted field, text after a closing quote, a quote never closed, a record
 * long enough to near csv-parse's size limit) it does not decide: it stops at the start of that
 * record and hands the rest (`remainder`, with `lines`, the line it starts on less one) to
 * csv-parse, which then reads it as it always did and words any error.
 */
const QUOTE = 34;
const NEWLINE = 10;
/**
 * Characters of one record beyond which csv-parse decides: its limit is 1,000,000 bytes of UTF-8,
 * and one UTF-16 code unit is at most 3 bytes, so a record this long can never reach it.
 */
const MAX_RECORD_CHARS = 300_000;

/** csv-parse's trimmable characters (its `timchars`): exactly JavaScript's whitespace. */
function isWhitespace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

export class CsvRows {
  private buffer = '';
  private started = false;
  /** Newlines read so far (csv-parse's line of the remainder is this plus its own). */
  lines = 0;
  /** Once it stopped: the text it left to csv-parse, from the start of a record. */
  remainder: string | null = null;
  private readonly delimiter: string;
  private readonly delimiterCode: number;

  constructor(delimiter: string) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n')
      throw new Error(`unsupported delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /**
   * Reads `text` (after what came before), calling `onRecord` for each whole record; `end` says
   * no more text follows. False once it has stopped: `remainder` is then for csv-parse.
   */
  push(text: string, onRecord: (record: string[]) => void, end = false): boolean {
    if (this.remainder !== null) throw new Error('CsvRows stopped: the rest is for csv-parse');
    let s = this.buffer + text;
    if (!this.started) {
      // csv-parse's `bom`: a UTF-8 BOM (U+FEFF) at the very start is not part of the first field.
      if (s.length === 0 && !end) return true;
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const n = s.length;
    const d = this.delimiterCode;
    let pos = 0;
    // Where the next quote is at or after pos (n when there is none), found again only once passed.
    let quoteAt = -1;
    for (;;) {
      if (pos >= n) {
        this.buffer = '';
        return true;
      }
      if (quoteAt < pos) {
        quoteAt = s.indexOf('"', pos);
        if (quoteAt < 0) quoteAt = n;
      }
      let lineEnd = s.indexOf('\n', pos);
      if (lineEnd < 0) {
        if (!end) {
          // A line that never ends is not held here without bound: csv-parse limits it.
          if (n - pos > MAX_RECORD_CHARS) return this.stop(s, pos);
          break;
        }
        lineEnd = n;
      }
      if (lineEnd - pos > MAX_RECORD_CHARS) return this.stop(s, pos);
      if (quoteAt >= lineEnd) {
        // No quote on this line: split it and trim every field.
        const line = s.slice(pos, lineEnd);
        const fields = line.split(this.delimiter);
        if (fields.length === 1) {
          const value = line.trim();
          // A line of whitespace alone is an empty line (csv-parse's skip_empty_lines).
          if (value !== '') onRecord([value]);
        } else {
          for (let i = 0; i < fields.length; i++) fields[i] = fields[i]!.trim();
          onRecord(fields);
        }
        if (lineEnd < n) this.lines++;
        pos = lineEnd + 1;
        continue;
      }
      // A quote on this line: field by field, and a quoted field may run over several lines.
      const record: string[] = [];
      let p = pos;
      let done = false;
      let unsure = false;
      let more = false;
      while (!done) {
        let q = p;
        while (q < n) {
          const code = s.charCodeAt(q);
          if (code === d || code === NEWLINE || !isWhitespace(code)) break;
          q++;
        }
        if (q < n && s.charCodeAt(q) === QUOTE) {
          // A quoted field: its closing quote is the first quote not doubled.
          let at = q + 1;
          let close = -1;
          let doubled = false;
          for (;;) {
            const next = s.indexOf('"', at);
            if (next < 0) break;
            if (next + 1 < n && s.charCodeAt(next + 1) === QUOTE) {
              doubled = true;
              at = next + 2;
              continue;
            }
            if (next + 1 >= n && !end) break; // the next text may start with a doubling quote
            close = next;
            break;
          }
          if (close < 0) {
            if (end)
              unsure = true; // never closed: csv-parse says so, at its line
            else more = true;
            break;
          }
          let value = s.slice(q + 1, close);
          if (doubled) value = value.replaceAll('""', '"');
          // After the closing quote, whitespace up to the delimiter; only one-byte whitespace:
          // csv-parse steps over the rest of these one byte at a time and errs on the second.
          let r = close + 1;
          while (r < n) {
            const code = s.charCodeAt(r);
            if (code === d || code === NEWLINE || !(code === 32 || (code >= 9 && code <= 13)))
              break;
            r++;
          }
          if (r >= n && !end) {
            more = true;
            break;
          }
          record.push(value);
          if (r >= n) done = true;
          else if (s.charCodeAt(r) === d) p = r + 1;
          else if (s.charCodeAt(r) === NEWLINE) {
            done = true;
            p = r + 1;
          } else {
            unsure = true; // text after a closing quote
            break;
          }
          if (done && r >= n) p = n;
        } else {
          // Unquoted: up to the delimiter or the end of the line, with no quote inside it.
          let stop = q;
          while (stop < n) {
            const code = s.charCodeAt(stop);
            if (code === d || code === NEWLINE) break;
            if (code === QUOTE) {
              unsure = true;
              break;
            }
            stop++;
          }
          if (unsure) break;
          if (stop >= n && !end) {
            more = true;
            break;
          }
          record.push(s.slice(q, stop).trimEnd());
          if (stop >= n) {
            done = true;
            p = n;
          } else if (s.charCodeAt(stop) === d) p = stop + 1;
          else {
            done = true;
            p = stop + 1;
          }
        }
        if (p - pos > MAX_RECORD_CHARS) {
          unsure = true;
          break;
        }
      }
      if (unsure) return this.stop(s, pos);
      if (more) {
        if (n - pos > MAX_RECORD_CHARS) return this.stop(s, pos);
        break;
      }
      // A record of one empty unquoted field cannot reach here: its line has a quote elsewhere.
      for (let at = s.indexOf('\n', pos); at >= 0 && at < p; at = s.indexOf('\n', at + 1))
        this.lines++;
      onRecord(record);
      pos = p;
    }
    this.buffer = s.slice(pos);
    return true;
  }

  private stop(s: string, pos: number): false {
    this.remainder = s.slice(pos);
    this.buffer = '';
    return false;
  }
}
