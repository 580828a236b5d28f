import { REASON_CODES, SUSPENSION_REASONS, classifySalesforceError, classifySuspensionText, isReasonCode } from '@sync-doctor/core';
import { EXPLAIN_USAGE, parseExplainArgs } from '../args.js';
import { EXIT, type Io } from '../io.js';
import { renderExplanation, type ExplainMatch } from '../render/explain.js';
import { colourWanted, createStyle } from '../render/style.js';

/**
 * Finds the catalog entry for what the admin pasted: a reason code ('object permissions missing'
 * too), then HubSpot's notification text in any language the core knows, then a Salesforce error.
 * The classifiers are the core's; nothing here knows a phrase.
 */
export function findExplanation(text: string): ExplainMatch | null {
  const asCode = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (isReasonCode(asCode)) return { reason: SUSPENSION_REASONS[asCode], matchedBy: 'code' };
  const notification = classifySuspensionText(text);
  if (notification) return { reason: SUSPENSION_REASONS[notification.reason], matchedBy: 'notification', language: notification.language };
  const fromError = classifySalesforceError({ message: text, errorCode: /^[A-Z][A-Z0-9_]+$/.test(text.trim()) ? text.trim() : undefined });
  if (fromError !== 'UNKNOWN_ERROR') return { reason: SUSPENSION_REASONS[fromError], matchedBy: 'salesforce-error' };
  return null;
}

export async function runExplain(argv: string[], io: Io): Promise<number> {
  const args = parseExplainArgs(argv);
  if (args.help) {
    io.stdout.write(`${EXPLAIN_USAGE}\n`);
    return EXIT.ok;
  }
  const match = findExplanation(args.text);
  if (!match) {
    const style = createStyle(colourWanted(io.stderr, io.env));
    io.stderr.write(
      `${style.bold('Not recognised')}: '${args.text.slice(0, 200)}' is neither a reason code nor a HubSpot suspension notice nor a Salesforce error Sync Doctor knows.\nReason codes: ${REASON_CODES.join(', ')}\n`,
    );
    if (args.json) io.stdout.write(`${JSON.stringify({ match: null }, null, 2)}\n`);
    return EXIT.couldNotDiagnose;
  }
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ matchedBy: match.matchedBy, language: match.language ?? null, reason: match.reason }, null, 2)}\n`);
  } else {
    const width = Math.min(Math.max(io.stdout.columns || 100, 60), 120);
    io.stdout.write(renderExplanation(match, createStyle(colourWanted(io.stdout, io.env)), width));
  }
  return EXIT.ok;
}
