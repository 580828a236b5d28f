import type { SuspensionReason } from '@sync-doctor/core';
import { wrapText } from './table.js';
import type { Style } from './style.js';

export interface ExplainMatch {
  reason: SuspensionReason;
  /** How the input was recognised. */
  matchedBy: 'code' | 'notification' | 'salesforce-error';
  /** For a notification text: the language it was written in. */
  language?: string;
}

/** The button HubSpot's Salesforce settings show once a suspension's cause is fixed. */
const CLEAR_SUSPENSION = '"Clear Suspension"';

const MATCHED_BY: Record<ExplainMatch['matchedBy'], string> = {
  code: 'reason code',
  notification: 'HubSpot suspension notification',
  'salesforce-error': 'Salesforce error',
};

/** A catalog entry as the admin reads it in a terminal. */
export function renderExplanation(match: ExplainMatch, style: Style, width: number): string {
  const { reason } = match;
  const textWidth = Math.max(30, width - 6);
  const lines: string[] = [];
  if (reason.titles.en.length + 2 + reason.code.length <= width)
    lines.push(`${style.bold(reason.titles.en)}  ${style.dim(reason.code)}`);
  else
    lines.push(
      ...wrapText(reason.titles.en, width).map((line) => style.bold(line)),
      style.dim(reason.code),
    );
  const recognised = `Recognised as a ${MATCHED_BY[match.matchedBy]}${match.language ? ` (${match.language})` : ''}.`;
  lines.push(style.dim(recognised));
  if (match.language && match.language !== 'en' && reason.titles[match.language]) {
    lines.push(style.dim(`HubSpot shows it as: "${reason.titles[match.language]}"`));
  }
  lines.push('');
  lines.push(...wrapText(reason.meaning, width - 2));
  lines.push('');
  lines.push(style.bold('What to do'));
  reason.remedy.forEach((step, i) => {
    wrapText(step, textWidth).forEach((line, j) =>
      lines.push(`${j === 0 ? `  ${String(i + 1).padStart(2)}. ` : '      '}${line}`),
    );
  });
  lines.push('');
  const bullet = (mark: string, text: string) =>
    wrapText(text, width - 2).forEach((line, j) =>
      lines.push(`${j === 0 ? `${mark} ` : '  '}${line}`),
    );
  if (reason.liftsByItself) bullet(style.green('•'), 'This suspension usually lifts by itself.');
  // Most catalog entries end their steps with it already ('5. When calls are available again,
  // click "Clear Suspension"'): said again as a bullet, it read as a second thing to do.
  if (reason.clearSuspensionNext && !reason.remedy.some((step) => step.includes(CLEAR_SUSPENSION)))
    bullet(
      style.cyan('•'),
      `Once the cause is fixed, click ${CLEAR_SUSPENSION} in HubSpot's Salesforce settings.`,
    );
  if (reason.checkedBySyncDoctor)
    bullet(
      style.cyan('•'),
      `Sync Doctor can check this: run ${style.bold('sync-doctor check')} against the org.`,
    );
  if (reason.whereToLook.length > 0) {
    lines.push('');
    lines.push(style.bold('Where to look'));
    for (const place of reason.whereToLook) {
      const label = wrapText(place.label, textWidth);
      const last = label[label.length - 1]!;
      // The address whole, after the label when it fits there, else on a line of its own: cut at
      // the width, it could be neither clicked nor copied (the only line that may pass the width).
      const url = place.url ? `(${place.url})` : '';
      const urlLine = url && last.length + 1 + url.length <= textWidth;
      label.forEach((line, j) =>
        lines.push(
          `${j === 0 ? '  - ' : '    '}${line}${urlLine && j === label.length - 1 ? ` ${url}` : ''}`,
        ),
      );
      if (url && !urlLine) lines.push(`    ${place.url}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
