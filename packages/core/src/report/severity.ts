/**
 * The one order of severities: errors, then warnings, then notes. The report, the grouped findings,
 * the diagnosis's own order, the limits' colours (app and CLI) and the CLI's --fail-on all rank by
 * it, so none of them can disagree about which of two findings is worse.
 */
import type { Finding, Severity } from '../diagnosis/types.js';

/** Worst first. A severity not in it (a newer producer's) ranks after 'info'. */
export const SEVERITY_ORDER: readonly Severity[] = Object.freeze(['error', 'warning', 'info']);

const rank = (severity: Severity): number => {
  const index = SEVERITY_ORDER.indexOf(severity);
  return index < 0 ? SEVERITY_ORDER.length : index;
};

/** For Array#sort, worst first: negative when `a` is worse than `b`, 0 when they are alike. */
export function compareSeverity(a: Severity, b: Severity): number {
  return rank(a) - rank(b);
}

/**
 * The worst severity of the findings about each subject ('DailyApiRequests', a username, an
 * object): what colours a limit's bar or row, so it never looks better than its worst finding.
 */
export function worstSeverityBySubject(
  findings: readonly Pick<Finding, 'subject' | 'severity'>[],
): Map<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const finding of findings) {
    const known = worst.get(finding.subject);
    if (known === undefined || compareSeverity(finding.severity, known) < 0)
      worst.set(finding.subject, finding.severity);
  }
  return worst;
}
