import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';

/**
 * Which encoding a CSV export arrived in. HubSpot exports UTF-8; once Excel has touched a file it
 * may be UTF-8 with a BOM, UTF-16LE with a BOM ("Unicode text"), or Windows-1252 ("CSV" on a
 * Western-European Windows). Decided from the first bytes:
 * a BOM wins; NUL bytes in every other position mean UTF-16 without BOM; bytes that are not valid
 * UTF-8 mean Windows-1252; otherwise UTF-8.
 */
export type DetectedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export function detectEncoding(head: Buffer): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const sample = head.subarray(0, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNul++;
    else oddNul++;
  }
  if (oddNul > sample.length / 4) return 'utf-16le';
  if (evenNul > sample.length / 4) return 'utf-16be';
  return validUtf8Prefix(sample) ? 'utf-8' : 'windows-1252';
}

/**
 * Decodes an export chunk by chunk in the encoding detectEncoding finds from its start, except
 * that a start of plain ASCII (no BOM) decides nothing: ASCII reads the same in UTF-8 and
 * Windows-1252, and a Danish Excel export often has an ASCII header and pages of English errors
 * before its first "ø". Such a text is read as UTF-8 until its first byte above 0x7F, and that
 * byte (with what follows) decides, exactly as detectEncoding would have: read as UTF-8 without
 * looking, a late "ø" in Windows-1252 became U+FFFD, in the field names and findings reported.
 */
export class ExportDecoder {
  encoding: DetectedEncoding;
  private decoder: TextDecoder;
  /** Everything decoded so far was ASCII, and no BOM said UTF-8. */
  private undecided: boolean;
  /**
   * The start of the first non-ASCII character when a chunk ended inside it: a Windows-1252 "æ"
   * (0xE6) is also how a three-byte UTF-8 character starts, so its byte alone decides nothing. Read
   * as UTF-8 when it was the last byte of a chunk, a Windows-1252 export stayed UTF-8, every "æ",
   * "ø" and "å" after it U+FFFD.
   */
  private held: Buffer | null = null;

  constructor(head: Buffer) {
    this.encoding = detectEncoding(head);
    this.decoder = new TextDecoder(this.encoding);
    this.undecided =
      this.encoding === 'utf-8' && !(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf);
  }

  /** The text of the next chunk (a character cut at its end comes with the next one). */
  decode(chunk: Buffer): string {
    if (this.held) {
      chunk = Buffer.concat([this.held, chunk]);
      this.held = null;
    }
    if (this.undecided && !isAscii(chunk)) {
      const at = chunk.findIndex((byte) => byte > 0x7f);
      if (cutAtEnd(chunk, at)) {
        // Decided with the next chunk (or at the end); the ASCII before it is the same in both.
        this.held = Buffer.from(chunk.subarray(at));
        return this.decoder.decode(chunk.subarray(0, at), { stream: true });
      }
      this.undecided = false;
      if (!validUtf8Prefix(chunk.subarray(at, at + 4096))) {
        // Nothing is pending in the UTF-8 decoder: all it read was ASCII.
        const ascii = this.decoder.decode(chunk.subarray(0, at), { stream: true });
        this.encoding = 'windows-1252';
        this.decoder = new TextDecoder(this.encoding);
        return ascii + this.decoder.decode(chunk.subarray(at), { stream: true });
      }
    }
    return this.decoder.decode(chunk, { stream: true });
  }

  /** What is left at the end (a cut character as U+FFFD). */
  end(): string {
    let tail = '';
    if (this.held) {
      // The text ends inside its first non-ASCII character: that is no UTF-8.
      this.undecided = false;
      this.encoding = 'windows-1252';
      this.decoder = new TextDecoder(this.encoding);
      tail = this.decoder.decode(this.held, { stream: true });
      this.held = null;
    }
    return tail + this.decoder.decode();
  }
}

/** Whether the UTF-8 character that starts at `at` would run past the end of `bytes` (its start valid so far). */
function cutAtEnd(bytes: Buffer, at: number): boolean {
  const lead = bytes[at]!;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return at + length > bytes.length && validUtf8Prefix(bytes.subarray(at));
}

/** Valid UTF-8, allowing a multi-byte sequence cut off at the end of the sample. */
function validUtf8Prefix(bytes: Buffer): boolean {
  try {
    // In streaming mode an incomplete final sequence waits for more bytes instead of failing.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The header line's most frequent separator among comma, semicolon and tab (Excel in Danish uses ';'). */
export function detectDelimiter(firstLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.entries(counts) as [keyof typeof counts, number][]).sort(
    (a, b) => b[1] - a[1],
  )[0]!;
  return best[1] > 0 ? best[0] : ',';
}

/**
 * Excel's separator hint: a first line `sep=;` (or `sep=,`, `sep=` and a tab) tells Excel which
 * separator the file uses, and Excel does not show the line as a row. It may follow a BOM and ends
 * with CRLF, LF or CR. `\t` spelled out is taken for a tab.
 */
type SeparatorHint =
  /** The separator it names, and how many characters (BOM and line end included) to skip. */
  | { delimiter: ',' | ';' | '\t'; skip: number }
  /** A separator the relay does not read (empty, several characters, a quote, a pipe ...). */
  | { unsupported: string };

// A Map, not an object: a hint of `sep=__proto__` must find nothing.
const HINTED = new Map<string, ',' | ';' | '\t'>([
  [',', ','],
  [';', ';'],
  ['\t', '\t'],
  ['\\t', '\t'],
]);

/** The hint at the start of `text` (the decoded start of the export), or null when there is none. */
export function separatorHint(text: string): SeparatorHint | null {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.slice(start, start + 4).toLowerCase() !== 'sep=') return null;
  let end = start + 4;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  const value = text.slice(start + 4, end);
  const delimiter = HINTED.get(value);
  if (delimiter === undefined) return { unsupported: value };
  const lineEnd = text.startsWith('\r\n', end) ? 2 : end < text.length ? 1 : 0;
  return { delimiter, skip: end + lineEnd };
}
