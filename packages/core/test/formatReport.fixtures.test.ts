/** formatReport over real diagnoses of the shared fixtures: the report says what evaluateAccess found. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { SUSPENSION_REASONS, findingTitle } from '../src/reasons/catalog.js';
import { CAUSES } from '../src/reasons/causes.js';
import { formatReport } from '../src/report/formatReport.js';
import { SEVERITY_LABELS, subjectLabel } from '../src/report/labels.js';
import { FIXTURE_NAMES, fixture } from './support.js';

describe('formatReport on fixture diagnoses', () => {
  it.each([...FIXTURE_NAMES])('%s: verdict, every finding and the org appear', (name) => {
    const snapshot = fixture(name);
    const diagnosis = evaluateAccess(snapshot);
    const text = formatReport(diagnosis, { snapshot });
    const label = { healthy: 'HEALTHY', 'at-risk': 'AT RISK', blocked: 'BLOCKED' }[
      diagnosis.verdict
    ];
    expect(text).toContain(`Verdict: ${label}`);
    for (const finding of diagnosis.findings) {
      // The page's badge, then the group heading: HubSpot's title for an error only.
      expect(text).toContain(
        `[${SEVERITY_LABELS[finding.severity]}] ${subjectLabel(finding.subject)}: ${findingTitle(finding)}`,
      );
      if (finding.severity !== 'error' && !finding.symptom)
        expect(findingTitle(finding)).not.toBe(SUSPENSION_REASONS[finding.reason].titles.en);
      if (finding.cause) expect(findingTitle(finding)).toContain(CAUSES[finding.cause].title);
    }
    if (snapshot.user) expect(text).toContain(snapshot.user.Username);
    for (const line of text.split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('lists the read-only mapped field among the failing fields', () => {
    const snapshot = fixture('read-only-mapped-field');
    const diagnosis = evaluateAccess(snapshot);
    const failing = diagnosis.fields.filter(
      (f) => f.required.includes('edit') && !f.effective.edit,
    );
    expect(failing.length).toBeGreaterThan(0);
    const text = formatReport(diagnosis, { snapshot });
    for (const field of failing)
      expect(text).toMatch(new RegExp(`^${field.name.replace('.', '\\.')}\\s`, 'm'));
  });
});
