import { fieldFails, type Diagnosis } from '@sync-doctor/core';
import { renderTable, wrapText } from '../table.js';
import type { RenderOptions } from './context.js';
import { accessCell, formatNumber, plural } from './shared.js';

/** Beyond this many failing fields the table stops; the rest are one line (and all are in --json). */
const MAX_FIELD_ROWS = 12;

export function renderFailingFields(diagnosis: Diagnosis, { style, width }: RenderOptions): string {
  const failing = diagnosis.fields.filter(fieldFails);
  const title = style.bold(`Fields that fail (${failing.length} of ${diagnosis.fields.length})`);
  if (failing.length === 0) {
    if (diagnosis.fields.length === 0)
      return `${title}\n  ${style.dim('No field access was judged.')}`;
    const allFine = wrapText(
      `All ${plural(diagnosis.fields.length, 'required field')} are readable and editable as needed.`,
      width - 2,
    );
    return `${title}\n${allFine.map((line) => `  ${style.green(line)}`).join('\n')}`;
  }
  const rows = failing
    .slice(0, MAX_FIELD_ROWS)
    .map((f) => [
      f.name,
      f.hubspotProperty ?? '',
      f.required.join(', '),
      accessCell(f.required.includes('read'), f.effective.read, style),
      accessCell(f.required.includes('edit'), f.effective.edit, style),
      [
        f.exists === false ? style.red('not in the org') : undefined,
        f.note ??
          (f.grantedBy.length
            ? `granted by ${f.grantedBy.join('; ')}`
            : style.dim('nothing grants it')),
      ]
        .filter(Boolean)
        .join('  '),
    ]);
  const more =
    failing.length > MAX_FIELD_ROWS
      ? `\n${wrapText(
          `… and ${formatNumber(failing.length - MAX_FIELD_ROWS)} more failing ${failing.length - MAX_FIELD_ROWS === 1 ? 'field' : 'fields'} (all of them with --json)`,
          width - 2,
        )
          .map((line) => `  ${style.dim(line)}`)
          .join('\n')}`
      : '';
  const headers = ['Field', 'HubSpot property', 'Needs', 'Read', 'Edit', 'Note'];
  const { rows: marked, footnotes } = footnoteRepeats(rows, 5, 0);
  // Narrow: the note folds under its row first, then the HubSpot property, then what it needs.
  // Footnoted, the notes have left the table and their markers follow the field's name.
  const table = renderTable(footnotes.length ? headers.slice(0, 5) : headers, marked, {
    width,
    header: style.dim,
    fold: footnotes.length ? [1, 2] : [5, 1, 2],
    ...(footnotes.length ? { wrap: [] } : {}),
  });
  const notes = footnotes.length ? `\n${footnoteLines(footnotes, width).join('\n')}` : '';
  return `${title}\n${table}${notes}${more}`;
}

/**
 * A column's text repeated on several rows (twelve fields 'Blocked by the object access on
 * Contact.') given once under the table, with a marker ('[1]') after the row's `at` cell: at 80
 * columns each repeat took a line of its own under its row. Once one text repeats, every row's
 * text goes under the table and the column leaves it (a text left in it would fold the column under
 * every row again). Nothing repeated: the rows stay as they are.
 */
function footnoteRepeats(
  rows: string[][],
  column: number,
  at: number,
): { rows: string[][]; footnotes: [marker: string, text: string][] } {
  const texts = rows.map((row) => row[column] ?? '').filter(Boolean);
  if (new Set(texts).size === texts.length) return { rows, footnotes: [] };
  const markers = new Map<string, string>();
  const marked = rows.map((row) => {
    const text = row[column];
    const marker = text ? (markers.get(text) ?? `[${markers.size + 1}]`) : undefined;
    if (text && marker) markers.set(text, marker);
    return row
      .map((cell, i) => (i === at && marker ? `${cell} ${marker}` : cell))
      .filter((_cell, i) => i !== column);
  });
  return { rows: marked, footnotes: [...markers].map(([text, marker]) => [marker, text]) };
}

/** Footnotes as `  [1] text`, wrapped to the width under their text. */
function footnoteLines(footnotes: [marker: string, text: string][], width: number): string[] {
  return footnotes.flatMap(([marker, text]) =>
    wrapText(text, Math.max(20, width - 3 - marker.length)).map(
      (line, i) => `  ${i === 0 ? marker : ' '.repeat(marker.length)} ${line}`,
    ),
  );
}
