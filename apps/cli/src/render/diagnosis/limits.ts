import { limitLabel, shareLabel, type Diagnosis, type Severity } from '@sync-doctor/core';
import { renderTable } from '../table.js';
import type { CheckContext, RenderOptions } from './context.js';
import { formatNumber } from './shared.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function renderLimits(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  // The core judges what a limit's use means (API and storage warn at different shares); the
  // colour follows its finding about the limit, so the table never looks worse than the verdict.
  const severityOf = new Map<string, Severity>();
  for (const f of diagnosis.findings) {
    const known = severityOf.get(f.subject);
    if (known === undefined || SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[known])
      severityOf.set(f.subject, f.severity);
  }
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
