/** formatReport over real diagnoses of the shared fixtures: the report says what evaluateAccess found. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { SUSPENSION_REASONS } from '../src/reasons/catalog.js';
import { CAUSES } from '../src/reasons/causes.js';
import { formatReport } from '../src/report/formatReport.js';
import { subjectLabel } from '../src/report/labels.js';
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
      const reason = SUSPENSION_REASONS[finding.reason].titles.en;
      // A cause of its own (an inactive user) heads the line, still naming HubSpot's reason.
      const title = finding.cause
        ? `${CAUSES[finding.cause].title} (HubSpot's reason: ${reason})`
        : reason;
      expect(text).toContain(
        `[${finding.severity.toUpperCase()}] ${subjectLabel(finding.subject)}: ${finding.severity === 'warning' ? 'At risk: ' : ''}${title}`,
      );
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
