/**
 * The "HubSpot reported" section's step marks, rendered from the core's step check: every state the
 * core gives a step has its own mark, as the app's suspension panel badges it.
 */
import { RULES } from '@sync-doctor/core';
import { chooseRelayed, renderRelayed } from '../src/render/relayed.js';
import { createStyle } from '../src/render/style.js';
import { readOnlyContactsDiagnosis, relayedStatus } from './support.js';

const plain = createStyle(false);

const status = relayedStatus({ reason: 'HUBSPOT_API_LIMIT_EXCEEDED' });

describe('renderRelayed: step marks', () => {
  it('marks "Nothing is required" as nothing to do, not as a step Sync Doctor could not check', () => {
    const view = chooseRelayed(
      { records: [{ status, updatedAt: '2026-11-28T09:00:00.000Z' }] },
      readOnlyContactsDiagnosis(),
    );
    expect(view.check!.steps[0]!.outcome).toBe('nothing-to-do');
    const out = renderRelayed(view, plain, 100);
    const steps = out.slice(out.indexOf('What to do, checked against'));
    expect(steps).toMatch(/ {2}1\. \[nothing to do\] /);
    // The other step is HubSpot's setting, which Sync Doctor cannot see: still unseen.
    expect(steps).toMatch(/ {2}2\. \[not checked\] /);
    // The step's text lines up under its own mark.
    const lines = steps.split('\n');
    const first = lines.findIndex((l) => l.startsWith('  1. '));
    const evidence = lines.slice(first + 1).find((l) => l.includes('Sync Doctor: '))!;
    expect(evidence.length - evidence.trimStart().length).toBe(lines[first]!.indexOf('] ') + 2);
  });

  it('marks the step at risk, not "not the cause now", when the diagnosis warns of the reason', () => {
    // 96.5% of the org's calls used and a warning of API_LIMIT_EXCEEDED: the risk is the point.
    const diagnosis = readOnlyContactsDiagnosis();
    diagnosis.verdict = 'at-risk';
    diagnosis.findings = diagnosis.findings
      .filter((f) => f.severity !== 'error')
      .map((f) => ({ ...f, rule: RULES.apiLimit }));
    diagnosis.limits = [{ name: 'DailyApiRequests', used: 96_500, max: 100_000, ratio: 0.965 }];
    const view = chooseRelayed(
      {
        records: [
          {
            status: { ...status, reason: 'API_LIMIT_EXCEEDED' },
            updatedAt: '2026-11-28T09:00:00Z',
          },
        ],
      },
      diagnosis,
    );
    const out = renderRelayed(view, plain, 100);
    const steps = out.slice(out.indexOf('What to do, checked against'));
    expect(steps).toMatch(/ {2}1\. \[at risk\] /);
    expect(steps).not.toContain('not the cause now');
  });
});
