import type { Diagnosis, ObjectResult } from '@sync-doctor/core';
import { renderTable, wrapText } from '../table.js';
import type { Style } from '../style.js';
import type { RenderOptions } from './context.js';
import { accessCell } from './shared.js';

const RIGHTS: { key: keyof ObjectResult['effective']; label: string }[] = [
  { key: 'read', label: 'Read' },
  { key: 'create', label: 'Create' },
  { key: 'edit', label: 'Edit' },
  { key: 'delete', label: 'Delete' },
  { key: 'viewAll', label: 'View All' },
  { key: 'modifyAll', label: 'Modify All' },
];

export function renderObjects(diagnosis: Diagnosis, { style, width }: RenderOptions): string {
  if (diagnosis.objects.length === 0)
    return `${style.bold('Objects')}\n  ${style.dim('No object access was judged.')}`;
  // Show the rights columns anything requires, plus Read/Create/Edit which HubSpot always concerns.
  const shown = RIGHTS.filter(
    (r) =>
      ['read', 'create', 'edit'].includes(r.key) ||
      diagnosis.objects.some((o) => o.required.includes(r.key)),
  );
  // Who grants the rights, said once for the rows it is the same for: the same profile and
  // permission set folded under every object made the table three times as long at 80 columns.
  const shared = sharedSources(diagnosis.objects);
  let notNeededShown = false;
  const rows = diagnosis.objects.map((o) => {
    // Objects only reached through a lookup are marked; the full "reached by" list is in --json.
    const name = o.reachedBy?.some((r) => r.startsWith('lookup'))
      ? `${o.name}${style.dim('*')}`
      : o.name;
    const missing = o.required.filter((r) => !o.effective[r as keyof ObjectResult['effective']]);
    // The core could not judge some rights (no `missing`, a 'Not judged' note: the org's API does
    // not expose the permission, or the snapshot lacks the rows): those are unknown, not missing.
    const unjudged = o.missing === undefined && (o.note?.startsWith('Not judged') ?? false);
    // An object the org does not have: no right can be missing on it, the object itself is.
    const status =
      o.exists === false
        ? style.red('not in the org')
        : o.required.length === 0
          ? style.dim('not required')
          : missing.length === 0
            ? style.green('ok')
            : unjudged
              ? style.yellow(`check ${missing.join(', ')} by hand`)
              : style.red(`missing ${missing.join(', ')}`);
    const notes =
      o.exists === false || (shared !== undefined && sourcesOf(o) === shared)
        ? []
        : [o.grantedBy.length ? o.grantedBy.join('; ') : style.dim('nothing grants it')];
    if (o.note) notes.push(style.dim(o.note));
    const cells = shown.map((r) => {
      if (unjudged && o.required.includes(r.key) && !o.effective[r.key]) return style.yellow('?');
      if (!o.required.includes(r.key) && !o.effective[r.key]) notNeededShown = true;
      return accessCell(o.required.includes(r.key), o.effective[r.key], style);
    });
    return [name, ...cells, status, notes.join('  ')];
  });
  // Narrow: "Granted by" folds under its row first, then the status; the ✓/✗ matrix stays. When
  // every row's sources are the shared ones, the column has nothing left to say and goes.
  const statusColumn = shown.length + 1;
  const ownSources = rows.some((row) => row[statusColumn + 1] !== '');
  const table = renderTable(
    ['Object', ...shown.map((r) => r.label), 'Status', ...(ownSources ? ['Granted by'] : [])],
    ownSources ? rows : rows.map((row) => row.slice(0, statusColumn + 1)),
    {
      width,
      header: style.dim,
      fold: ownSources ? [statusColumn + 1, statusColumn] : [statusColumn],
    },
  );
  const shareLines =
    shared === undefined
      ? []
      : wrapText(
          `${ownSources ? 'Granted by, unless a row says otherwise:' : 'Granted by:'} ${shared}`,
          width - 4,
        ).map((line, i) => (i === 0 ? `  ${line.replace(/^[^:]*:/, style.dim)}` : `    ${line}`));
  const notes: [marker: string, text: string][] = [];
  if (diagnosis.objects.some((o) => o.reachedBy?.some((r) => r.startsWith('lookup'))))
    notes.push([
      '*',
      'also reached through a lookup of a mapped field, so HubSpot needs at least Read on it',
    ]);
  // A right HubSpot does not ask for and the user lacks: nothing to fix, but a bare dot among
  // the ✓ and ✗ did not say so (Campaign Create, User Create and Edit).
  if (notNeededShown) notes.push(['·', 'not granted, and HubSpot does not need it']);
  return [style.bold('Objects'), table, ...shareLines, ...legendLines(notes, style, width)].join(
    '\n',
  );
}

/** A row's sources as shown: the core's, in its order. */
function sourcesOf(o: ObjectResult): string | undefined {
  return o.note || o.grantedBy.length === 0 ? undefined : o.grantedBy.join('; ');
}

/**
 * The sources ("Profile: HubSpot Integration User; Permission set: HubSpot Integration
 * Permissions") most rows share, when at least two do: said once under the table, and only the
 * rows whose sources differ name theirs, all of them, so every source stays in sight. A row with
 * a note keeps its sources beside it (a folded "Granted by:" must not head the note alone).
 */
function sharedSources(objects: readonly ObjectResult[]): string | undefined {
  const tally = new Map<string, number>();
  for (const o of objects) {
    const sources = o.exists === false ? undefined : sourcesOf(o);
    if (sources !== undefined) tally.set(sources, (tally.get(sources) ?? 0) + 1);
  }
  let shared: string | undefined;
  let most = 1;
  // The first of the most shared, in the rows' order.
  for (const [sources, rows] of tally)
    if (rows > most) {
      shared = sources;
      most = rows;
    }
  return shared;
}

/** The table's legend: `  * text`, wrapped under its text (the indent of the lines after the first is deeper). */
function legendLines(
  notes: [marker: string, text: string][],
  style: Style,
  width: number,
): string[] {
  return notes.flatMap(([marker, text]) =>
    wrapText(`${marker} ${text}`, width - 4).map(
      (line, i) => `${i === 0 ? '  ' : '    '}${style.dim(line)}`,
    ),
  );
}
