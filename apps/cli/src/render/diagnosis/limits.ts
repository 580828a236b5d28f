import { limitLabel, shareLabel, worstSeverityBySubject, type Diagnosis } from '@sync-doctor/core';
import { renderTable } from '../table.js';
import type { CheckContext, RenderOptions } from './context.js';
import { formatNumber } from './shared.js';

export function renderLimits(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  // The core judges what a limit's use means (API and storage warn at different shares); the
  // colour follows its finding about the limit, so the table never looks worse than the verdict.
  const severityOf = worstSeverityBySubject(diagnosis.findings);
  const rows = diagnosis.limits.map((l) => {
    const share = shareLabel(l.ratio);
    const severity = severityOf.get(l.name);
    const colour =
      severity === 'error' ? style.red : severity === 'warning' ? style.yellow : (t: string) => t;
    const { label, unit } = limitLabel(l.name);
    return [
      label,
      `${formatNumber(l.used)}${unit}`,
      `${formatNumber(l.max)}${unit}`,
      colour(share),
    ];
  });
  const lines = [style.bold('Limits')];
  if (rows.length === 0) lines.push(`  ${style.dim('No limits were read.')}`);
  else
    lines.push(
      renderTable(['Limit', 'Used', 'Max', 'Used %'], rows, { width, header: style.dim, wrap: [] }),
    );
  return lines.join('\n');
}
