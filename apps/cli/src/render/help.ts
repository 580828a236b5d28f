import { wrapText } from './table.js';

/** An entry's description needs at least this many columns beside its term, else it is left as written. */
const MIN_DESCRIPTION_WIDTH = 20;

/**
 * A help text (args.ts, written at some 100 columns) fitted to `width`: an entry whose lines pass
 * it ('  --user USERNAME       the HubSpot integration user …' and the lines under its description
 * column) is re-flowed under the same column; a paragraph (lines at one indent, no entry among
 * them) with a line too long is re-flowed under its indent.
 * What already fits is left exactly as written.
 */
export function fitHelp(text: string, width: number): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    // A term, two or more spaces, its description: the description's column is the hang.
    const entry = /^(\s*\S.*?\s{2,})\S/.exec(line);
    const hang = entry ? entry[1]!.length : indent >= MIN_DESCRIPTION_WIDTH ? indent : -1;
    let end = i + 1;
    if (hang > 0)
      while (end < lines.length && leading(lines[end]!) === hang && lines[end]!.trim()) end++;
    // Prose: the lines after it at its indent that are no entry of their own.
    else if (line.trim())
      while (
        end < lines.length &&
        lines[end]!.trim() &&
        leading(lines[end]!) === indent &&
        !/^\s*\S.*?\s{2,}\S/.test(lines[end]!)
      )
        end++;
    const block = lines.slice(i, end);
    i = end;
    if (block.every((l) => l.length <= width)) {
      out.push(...block);
      continue;
    }
    if (hang > 0 && width - hang >= MIN_DESCRIPTION_WIDTH) {
      const head = block[0]!.slice(0, hang);
      const words = block.map((l, j) => (j === 0 ? l.slice(hang) : l.trim())).join(' ');
      wrapText(words, width - hang).forEach((part, j) =>
        out.push(`${j === 0 ? head : ' '.repeat(hang)}${part}`),
      );
      continue;
    }
    const words = block.map((l) => l.trim()).join(' ');
    for (const part of wrapText(words, Math.max(MIN_DESCRIPTION_WIDTH, width - indent)))
      out.push(`${' '.repeat(indent)}${part}`);
  }
  return out.join('\n');
}

function leading(line: string): number {
  return line.length - line.trimStart().length;
}
