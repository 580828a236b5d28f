import { SIDE_PERMISSIONS } from '@sync-doctor/core';
import { wrapText } from '../table.js';
import { visibleLength } from '../style.js';
import type { CheckContext, RenderOptions } from './context.js';
import { formatNumber, plural } from './shared.js';

export function renderFooter(context: CheckContext, { style, width }: RenderOptions): string {
  const parts: string[] = [];
  if (context.requests !== undefined)
    parts.push(`${plural(context.requests, 'API request')} to read the org`);
  if (context.apiUsage)
    parts.push(
      `org API usage ${formatNumber(context.apiUsage.used)} / ${formatNumber(context.apiUsage.max)} in the last 24 h`,
    );
  // A side permission's column is absent from most orgs (its Setup switch is off by default), and
  // the sync-error line that needs it says so: listing it here on every run says nothing.
  const absent = (context.absentColumns ?? []).filter(
    (column) => !SIDE_PERMISSIONS.some((side) => column.endsWith(`.${side}`) || column === side),
  );
  if (absent.length) parts.push(`absent in this org: ${absent.join(', ')}`);
  if (parts.length === 0) return '';
  // One line when it fits; otherwise a line per part, each wrapped.
  const joined = parts.join(' · ');
  const lines =
    visibleLength(joined) <= width ? [joined] : parts.flatMap((part) => wrapText(part, width));
  return lines.map((line) => style.dim(line)).join('\n');
}
