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
  if (context.absentColumns?.length)
    parts.push(`absent in this org: ${context.absentColumns.join(', ')}`);
  if (parts.length === 0) return '';
  // One line when it fits; otherwise a line per part, each wrapped.
  const joined = parts.join(' · ');
  const lines =
    visibleLength(joined) <= width ? [joined] : parts.flatMap((part) => wrapText(part, width));
  return lines.map((line) => style.dim(line)).join('\n');
}
