import type { OrgSimulator } from '@sync-doctor/org-simulator';
import { DEMO_VALIDATION_RULE } from './syncErrorsExport.js';

/**
 * The rules every demo org has, behind the errors of the demo's Sync Health export that no
 * permission explains: the validation rule whose message the export's custom-code rows carry, and
 * the duplicate rules Salesforce ships (Allow with an alert, which refuses an API write). So the
 * demo shows what Sync Doctor says of them: the app the validation rule the relay names when it
 * carries the export, the printed `sync-doctor check` line that and the duplicate rules.
 *
 * Added after every fixture switch, since a switch builds the org afresh. The simulator's formulas
 * have no LEN, so the validation rule's formula is one that never fires: the demo writes no
 * Contact, and the rule is there to be listed, as the org's metadata would list it.
 */
export function addDemoOrgRules(sim: OrgSimulator): void {
  sim.org.schema.addValidationRule('Contact', { ...DEMO_VALIDATION_RULE, formula: '1 = 0' });
  for (const object of ['Contact', 'Lead'])
    sim.org.schema.addDuplicateRule(object, {
      name: `Standard ${object} Duplicate Rule`,
      actionOnInsert: 'Allow',
      actionOnUpdate: 'Allow',
      operationsOnInsert: ['Alert', 'Report'],
      operationsOnUpdate: ['Alert', 'Report'],
    });
}
