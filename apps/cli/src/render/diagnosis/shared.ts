// What more than one section of the diagnosis uses: counts in words, numbers, the access marks.
import { wrapText } from '../table.js';
import { visibleLength, type Style } from '../style.js';

/**
 * One cell of the access matrix: ✓ granted, ✗ required and missing, · neither (and ? for a
 * required right the core could not judge, see renderObjects). A right granted but
 * not required is dimmed: it is there, but nothing asks for it.
 */
export function accessCell(required: boolean, granted: boolean, style: Style): string {
  if (required) return granted ? style.green('✓') : style.bold(style.red('✗'));
  return granted ? style.dim('✓') : style.dim('·');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Pieces joined on as few lines of at most `width` as they fit; a piece too long alone wraps. */
export function packPieces(pieces: [separator: string, text: string][], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [separator, text] of pieces) {
    if (line && visibleLength(line) + separator.length + visibleLength(text) <= width) {
      line += separator + text;
      continue;
    }
    if (line) lines.push(line);
    const wrapped = wrapText(text, width);
    lines.push(...wrapped.slice(0, -1));
    line = wrapped[wrapped.length - 1]!;
  }
  if (line) lines.push(line);
  return lines;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}
