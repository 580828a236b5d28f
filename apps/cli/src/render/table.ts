import { visibleLength } from './style.js';

export interface TableOptions {
  /** Total width available (the terminal's columns); the widest wrappable column gives way. */
  width?: number;
  indent?: number;
  /** Columns whose text may wrap onto more lines (by index); default: the last one. */
  wrap?: number[];
  /** Dims the header, underlines nothing: a function so colour stays the caller's choice. */
  header?: (text: string) => string;
}

/** Splits text into lines of at most `width` visible characters, at spaces where it can. */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0 || visibleLength(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (!line) line = word;
    else if (visibleLength(line) + 1 + visibleLength(word) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    while (visibleLength(line) > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) lines.push(line);
  return lines;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/** A plain aligned table: a header row, then one row per item; no borders, two spaces apart. */
export function renderTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const indent = ' '.repeat(options.indent ?? 2);
  const gap = 2;
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const wrapColumns = options.wrap ?? [headers.length - 1];
  const available = options.width ?? Infinity;
  const total = () => indent.length + widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  // Shrink the widest wrappable column until the table fits (never below 12 characters).
  while (total() > available) {
    const candidates = wrapColumns.filter((i) => (widths[i] ?? 0) > 12);
    if (candidates.length === 0) break;
    const widest = candidates.reduce((a, b) => ((widths[a] ?? 0) >= (widths[b] ?? 0) ? a : b));
    widths[widest] = Math.max(12, widths[widest]! - (total() - available));
  }
  const lines: string[] = [];
  const emit = (cells: string[], style?: (t: string) => string) => {
    const wrapped = cells.map((cell, i) => (wrapColumns.includes(i) ? wrapText(cell, widths[i]!) : [cell]));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let line = 0; line < height; line++) {
      const text = wrapped
        .map((w, i) => pad(w[line] ?? '', i === wrapped.length - 1 ? 0 : widths[i]!))
        .join(' '.repeat(gap))
        .trimEnd();
      lines.push(indent + (style ? style(text) : text));
    }
  };
  emit(headers, options.header);
  for (const row of rows) emit(row);
  return lines.join('\n');
}
