import type { Finding, Severity } from '../diagnosis/types.js';
import type { CauseCode } from '../reasons/causes.js';
import type { ReasonCode } from '../reasons/codes.js';
import type { SymptomCode } from '../reasons/symptoms.js';
import { findingCode, findingTitle } from '../reasons/catalog.js';
import { compareSeverity } from './severity.js';

/**
 * One group of findings as every renderer shows them: one severity of one reason, cause or symptom
 * (findingCode), headed by findingTitle of its first finding (HubSpot's title for errors only;
 * 'At risk: <what it forecasts> ...' for warnings).
 */
export interface FindingGroup<F extends Finding = Finding> {
  severity: Severity;
  /** The group's findingCode: its symptom, else its cause, else HubSpot's reason. */
  code: ReasonCode | SymptomCode | CauseCode;
  /** findingTitle of the group's first finding, at the group's severity. */
  title: string;
  /** The group's findings, in the order they were given. */
  findings: F[];
}

export interface GroupFindingsOptions {
  /** Only the findings of these severities (e.g. ['error', 'warning'] to leave notes out); all when absent. */
  severities?: readonly Severity[];
}

/**
 * The findings grouped as the app's Findings card, its verdict, the CLI and the report present them:
 * by severity (errors first, then warnings, then notes), then by findingCode in the order each code
 * first appears at that severity; a symptom (HubSpot's sync has stopped) is a group of its own,
 * never under a reason. Each group is headed by findingTitle of its first finding. Pure: the input
 * is not changed, and the same findings always give the same groups.
 */
export function groupFindings<F extends Finding>(
  findings: readonly F[],
  options: GroupFindingsOptions = {},
): FindingGroup<F>[] {
  const wanted = options.severities ? new Set<Severity>(options.severities) : null;
  const byKey = new Map<string, FindingGroup<F>>();
  for (const finding of Array.isArray(findings) ? findings : []) {
    if (!finding || (wanted && !wanted.has(finding.severity))) continue;
    const code = findingCode(finding);
    const key = `${finding.severity} ${code}`;
    const group = byKey.get(key);
    if (group) group.findings.push(finding);
    else
      byKey.set(key, {
        severity: finding.severity,
        code,
        title: findingTitle(finding),
        findings: [finding],
      });
  }
  // Array#sort is stable: within a severity the groups keep their order of first appearance.
  return [...byKey.values()].sort((a, b) => compareSeverity(a.severity, b.severity));
}
