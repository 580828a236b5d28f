/**
 * A mapped field missing from the describe was deleted or is hidden from the reader (the core
 * cannot tell which): "Missing field mappings" must not mark "it exists" done for it.
 */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import { fixture } from './support.js';

test('a mapped field not in the describe: the exists step is not done, nor the cause fixed', () => {
  const s = fixture('healthy');
  delete (s.fields as Record<string, unknown>)['Lead.Fax'];
  const d = evaluateAccess(s);
  const check = checkSuspensionSteps('FIELD_MAPPINGS_MISSING', d);
  const exists = check.steps[1]!;
  expect(exists.status).toBe('unknown');
  expect(exists.evidence).toContain('Lead.Fax');
  expect(exists.findings.map((f) => f.subject)).toEqual(['Lead.Fax']);
  expect(check.agreement).toBe('not-judged');
  expect(check.summary).not.toMatch(/exists in Salesforce now/);
});
