/** A done step's evidence says what Sync Doctor read, never what the reading contradicts. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { fixture } from './support.js';

function healthyWith(change: (s: Snapshot) => void) {
  const s = fixture('healthy');
  change(s);
  return evaluateAccess(s);
}

test("API limit reached by HubSpot's connected app, the org's far from it: the evidence names the app's limit", () => {
  const d = healthyWith((s) => {
    (s.limits!.DailyApiRequests as Record<string, unknown>).HubSpot = { Max: 1000, Remaining: 0 };
  });
  const step = checkSuspensionSteps('API_LIMIT_EXCEEDED', d).steps[0]!;
  expect(step.status).toBe('done');
  expect(step.evidence).not.toMatch(
    /18% of the org's daily API requests are used .*; the limit is reached/,
  );
  expect(step.evidence).toContain("The connected app 'HubSpot' has used all 1,000 API requests");
});

test('a mapped field that does not exist is not counted among those with the access HubSpot needs', () => {
  const d = healthyWith((s) => {
    (s.fields as Record<string, unknown>)['Lead.Fax'] = { exists: false };
  });
  const total = d.fields.length;
  const check = checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', d);
  for (const step of check.steps.slice(0, 3)) {
    expect(step.evidence).not.toContain(`${total} `);
    expect(step.evidence).toContain(`${total - 1} `);
  }
});
