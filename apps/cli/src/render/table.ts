import { stripAnsi, visibleLength } from './style.js';

interface TableOptions {
  /** Total width available (the terminal's columns); the widest wrappable column gives way. */
  width?: number;
  indent?: number;
  /** Columns whose text may wrap onto more lines (by index); default: the last one. */
  wrap?: number[];
  /**
   * Columns that may leave the table for lines of their own under each row ("Granted by: ..."),
   * in the order they go, when the table cannot fit the width otherwise; default: the wrap columns.
   */
  fold?: number[];
  /** Dims the header, underlines nothing: a function so colour stays the caller's choice. */
  header?: (text: string) => string;
}

/**
 * A wrapping column narrower than this reads as a tower of three or four words a line: it folds
 * under its row instead, where it gets the whole width.
 */
const MIN_WRAP_WIDTH = 24;
/** Below this, a wrapping column does not shrink further (the table overflows or folds). */
const MIN_SHRINK_WIDTH = 12;
/** Folded lines sit this much deeper than the row they belong to. */
const FOLD_INDENT = 4;
/** Truncation (the last resort at very narrow widths) leaves a column at least this wide. */
const MIN_TRUNCATED_WIDTH = 6;

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

/**
 * Text cut to `width` visible characters with an ellipsis in the middle, so both ends survive:
 * 'DailyApiRequests' and 'DailyApiRequests.HubSpot' stay apart (colour is dropped when cut).
 */
export function truncateText(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, Math.max(0, width));
  const plain = [...stripAnsi(text)];
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${plain.slice(0, head).join('')}…${tail > 0 ? plain.slice(-tail).join('') : ''}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

interface Layout {
  /** Columns shown in the table, in order. */
  shown: number[];
  /** Columns moved under each row. */
  folded: number[];
  widths: number[];
  /** Columns whose cells are cut with an ellipsis to their width. */
  truncated: Set<number>;
}

/**
 * How the table fits `available`: first the wrappable columns shrink (never below 12); if one
 * would be narrower than 20, the foldable columns leave the table one by one for lines under each
 * row; if the rest is still too wide, the widest columns are cut with an ellipsis.
 */
function layout(
  headers: string[],
  rows: string[][],
  options: TableOptions,
  indent: number,
  gap: number,
): Layout {
  const natural = headers.map((h, i) =>
    Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const wrapColumns = options.wrap ?? [headers.length - 1];
  const foldOrder = options.fold ?? wrapColumns;
  const available = options.width ?? Infinity;
  const folded: number[] = [];
  for (;;) {
    const shown = headers.map((_h, i) => i).filter((i) => !folded.includes(i));
    const widths = [...natural];
    const total = () =>
      indent + shown.reduce((sum, i) => sum + widths[i]!, 0) + gap * (shown.length - 1);
    // Shrink the widest wrappable column until the table fits (never below MIN_SHRINK_WIDTH).
    while (total() > available) {
      const candidates = wrapColumns.filter(
        (i) => shown.includes(i) && widths[i]! > MIN_SHRINK_WIDTH,
      );
      if (candidates.length === 0) break;
      const widest = candidates.reduce((a, b) => (widths[a]! >= widths[b]! ? a : b));
      widths[widest] = Math.max(MIN_SHRINK_WIDTH, widths[widest]! - (total() - available));
    }
    const cramped = wrapColumns.some(
      (i) => shown.includes(i) && widths[i]! < Math.min(MIN_WRAP_WIDTH, natural[i]!),
    );
    const next = foldOrder.find((i) => !folded.includes(i) && shown.length > 1);
    if ((total() > available || cramped) && next !== undefined) {
      folded.push(next);
      continue;
    }
    // Still too wide with everything folded: cut the widest columns with an ellipsis.
    const truncated = new Set<number>();
    while (total() > available) {
      const candidates = shown.filter(
        (i) => widths[i]! > MIN_TRUNCATED_WIDTH && !wrapColumns.includes(i),
      );
      if (candidates.length === 0) break;
      const widest = candidates.reduce((a, b) => (widths[a]! >= widths[b]! ? a : b));
      widths[widest] = Math.max(MIN_TRUNCATED_WIDTH, widths[widest]! - (total() - available));
      truncated.add(widest);
    }
    return { shown, folded, widths, truncated };
  }
}

/**
 * A plain aligned table: a header row, then one row per item; no borders, two spaces apart. At
 * narrow widths long columns fold under their row and, at the narrowest, cells are cut with '…'.
 */
export function renderTable(
  headers: string[],
  rows: string[][],
  options: TableOptions = {},
): string {
  const indentWidth = options.indent ?? 2;
  const indent = ' '.repeat(indentWidth);
  const gap = 2;
  const wrapColumns = options.wrap ?? [headers.length - 1];
  const { shown, folded, widths, truncated } = layout(headers, rows, options, indentWidth, gap);
  const available = options.width ?? Infinity;
  const lines: string[] = [];
  const emit = (cells: string[], style?: (t: string) => string) => {
    const wrapped = shown.map((i) => {
      const cell = cells[i] ?? '';
      if (wrapColumns.includes(i)) return wrapText(cell, widths[i]!);
      return [truncated.has(i) ? truncateText(cell, widths[i]!) : cell];
    });
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let line = 0; line < height; line++) {
      const text = wrapped
        .map((w, k) => pad(w[line] ?? '', k === wrapped.length - 1 ? 0 : widths[shown[k]!]!))
        .join(' '.repeat(gap))
        .trimEnd();
      lines.push(indent + (style ? style(text) : text));
    }
  };
  emit(
    headers.map((h, i) => (truncated.has(i) ? truncateText(h, widths[i]!) : h)),
    options.header,
  );
  const foldIndent = ' '.repeat(indentWidth + FOLD_INDENT);
  const foldWidth = Math.max(MIN_SHRINK_WIDTH, available - indentWidth - FOLD_INDENT);
  for (const row of rows) {
    emit(row);
    for (const i of [...folded].sort((a, b) => a - b)) {
      const cell = row[i] ?? '';
      if (cell.trim() === '') continue;
      const label = `${headers[i]}:`;
      const text = wrapText(`${label} ${cell}`, foldWidth);
      text.forEach((line, j) =>
        lines.push(
          foldIndent +
            (j === 0 && options.header ? line.replace(label, options.header(label)) : line),
        ),
      );
    }
  }
  return lines.join('\n');
}
