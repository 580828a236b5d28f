import { limitRows, worstSeverityBySubject, type Diagnosis } from '@sync-doctor/core';
import { renderTable } from '../table.js';
import type { CheckContext, RenderOptions } from './context.js';

export function renderLimits(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  // The core judges what a limit's use means (API and storage warn at different shares); the
  // colour follows its finding about the limit, so the table never looks worse than the verdict.
  const severityOf = worstSeverityBySubject(diagnosis.findings);
  // The core's rows: a connected app without a quota of its own is its share of the org's calls
  // used ("of the org's 96,507 used"), as the finding says, not "of" the org's maximum.
  const rows = limitRows(diagnosis.limits).map((row) => {
    const severity = severityOf.get(row.name);
    const colour =
      severity === 'error' ? style.red : severity === 'warning' ? style.yellow : (t: string) => t;
    return [row.label, row.used, row.of, colour(row.share)];
  });
  const lines = [style.bold('Limits')];
  if (rows.length === 0) lines.push(`  ${style.dim('No limits were read.')}`);
  else
    lines.push(
      renderTable(['Limit', 'Used', 'Max', 'Used %'], rows, { width, header: style.dim, wrap: [] }),
    );
  return lines.join('\n');
}
