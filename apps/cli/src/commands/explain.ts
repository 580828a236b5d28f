import {
  REASON_CODES,
  SUSPENSION_REASONS,
  classifySalesforceError,
  classifySuspensionText,
  isReasonCode,
} from '@sync-doctor/core';
import { EXPLAIN_USAGE, parseExplainArgs } from '../args.js';
import { EXIT, outputWidth, type Io } from '../io.js';
import { renderExplanation, type ExplainMatch } from '../render/explain.js';
import { fitHelp } from '../render/help.js';
import { printable } from '../render/printable.js';
import { wrapText } from '../render/table.js';
import { colourWanted, createStyle } from '../render/style.js';

/** Text that starts with a Salesforce error code: `REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.` or the code alone. */
const SALESFORCE_CODE_FIRST = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\s*(?::|$)/;

/**
 * Finds the catalog entry for what the admin pasted: a reason code (`API_ACCESS_DISABLED`, in any
 * case), then HubSpot's notification text or heading in any language the core knows, then a
 * Salesforce error. Text that opens with a Salesforce error code is that error, so it is tried as
 * one first: its words ("limit exceeded") would otherwise pass for a notification's.
 * Words with spaces are never a code: "API access disabled" and "Unknown error" are HubSpot's
 * headings (or the words of one, "org locked"), and are said to be read as such, not as a code.
 * The classifiers are the core's; nothing here knows a phrase.
 */
export function findExplanation(text: string): ExplainMatch | null {
  const trimmed = text.trim();
  const asCode = trimmed.toUpperCase().replace(/[\s-]+/g, '_');
  if (!/\s/.test(trimmed) && isReasonCode(asCode))
    return { reason: SUSPENSION_REASONS[asCode], matchedBy: 'code' };
  const codeFirst = SALESFORCE_CODE_FIRST.test(trimmed);
  if (codeFirst) {
    const fromError = asSalesforceError(trimmed);
    if (fromError) return fromError;
  }
  const notification = classifySuspensionText(text);
  if (notification)
    return {
      reason: SUSPENSION_REASONS[notification.reason],
      matchedBy: 'notification',
      language: notification.language,
    };
  // The words of a code the classifier does not place ("org locked", "server error"): HubSpot's
  // English heading without its "Salesforce", so read as that heading.
  if (isReasonCode(asCode))
    return { reason: SUSPENSION_REASONS[asCode], matchedBy: 'notification', language: 'en' };
  return codeFirst ? null : asSalesforceError(trimmed);
}

function asSalesforceError(text: string): ExplainMatch | null {
  const reason = classifySalesforceError({
    message: text,
    errorCode: /^[A-Z][A-Z0-9_]+$/.test(text) ? text : undefined,
  });
  return reason === 'UNKNOWN_ERROR'
    ? null
    : { reason: SUSPENSION_REASONS[reason], matchedBy: 'salesforce-error' };
}

export async function runExplain(argv: string[], io: Io): Promise<number> {
  const args = parseExplainArgs(argv);
  if (args.help) {
    io.stdout.write(`${fitHelp(EXPLAIN_USAGE, outputWidth(io.stdout))}\n`);
    return EXIT.ok;
  }
  const match = findExplanation(args.text);
  if (!match) {
    const style = createStyle(colourWanted(io.stderr, io.env));
    // Wrapped to stderr's width (80 when it is no terminal): the codes alone are some 200 columns.
    const width = outputWidth(io.stderr);
    const said = wrapText(
      `Not recognised: '${printable([...args.text].slice(0, 200).join(''))}' is neither a reason code nor a HubSpot suspension notice nor a Salesforce error Sync Doctor knows.`,
      width,
    );
    said[0] = said[0]!.replace(/^Not recognised/, style.bold('Not recognised'));
    const codes = wrapText(`Reason codes: ${REASON_CODES.join(', ')}`, width - 2).map((line, i) =>
      i === 0 ? line : `  ${line}`,
    );
    io.stderr.write(`${[...said, ...codes].join('\n')}\n`);
    // `match: null` as before; the error object every other exit 2 of --json carries beside it.
    if (args.json)
      io.stdout.write(
        `${JSON.stringify(
          {
            match: null,
            error: {
              errorCode: 'NOT_RECOGNISED',
              message:
                'Neither a reason code nor a HubSpot suspension notice nor a Salesforce error Sync Doctor knows.',
              retryable: false,
            },
          },
          null,
          2,
        )}\n`,
      );
    return EXIT.couldNotDiagnose;
  }
  if (args.json) {
    io.stdout.write(
      `${JSON.stringify({ matchedBy: match.matchedBy, language: match.language ?? null, reason: match.reason }, null, 2)}\n`,
    );
  } else {
    const width = outputWidth(io.stdout, 120);
    io.stdout.write(renderExplanation(match, createStyle(colourWanted(io.stdout, io.env)), width));
  }
  return EXIT.ok;
}
