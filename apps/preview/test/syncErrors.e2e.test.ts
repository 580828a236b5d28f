/**
 * HubSpot's exported sync errors, as the relay stores them on the status record (Sync_Errors__c),
 * name a custom field mapped only in HubSpot: no default mapping and no saved extra field names it,
 * so until the sync errors do, Sync Doctor does not read it. The page lists the errors under the
 * suspension, reads the org again for that field, and the field table shows its row, lacking Edit;
 * the field's line says so now ("Now: the integration user still lacks edit on ..."), and the
 * picklist group's that the picklists still have no active value 'Webinar', and the validation
 * group's the rule the relay found sending its message. Once the picklists have 'Webinar', the
 * picklist line names the record type that still does not offer it (getRecordTypePicklists).
 */
import type { Page } from 'playwright-core';
import { HUBSPOT_PERMISSION_SET, STATUS_OBJECT } from '@sync-doctor/core';
import { buildObjectSchema } from '@sync-doctor/org-simulator';
import path from 'node:path';
import {
  openApp,
  SCREENSHOT_DIR,
  screenshot,
  syncErrorNowLine,
  useAppStack,
} from './support/appStack.js';
import { wcagViolations } from './support/axe.js';
import { useDemoOrg } from './support/demoOrg.js';
import { BUILD_TIMEOUT_MS } from './support/bundles.js';

const app = useAppStack();
let page: Page;

const FIELD = 'Hub_Score__c';
const ROW = `Contact.${FIELD}`;
const SYNC_ERRORS = {
  receivedAt: '2026-11-28T10:30:00.000Z',
  rows: 434,
  groups: [
    {
      reason: 'FIELD_PERMISSIONS_MISSING',
      errorType: 'Salesforce field permission',
      object: 'Contact',
      field: FIELD,
      count: 312,
      example: `Unable to create/update fields: ${FIELD}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    },
    // Most of an export is not about the integration user's rights: a validation rule, a
    // duplicate rule, a picklist lacking the value. Each line says its kind and what to do.
    {
      reason: null,
      errorType: 'Custom code',
      object: 'Contact',
      field: null,
      count: 64,
      example: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]',
      // The rule the relay found sending the message when it carried the export (the app's Apex
      // cannot read validation rules).
      validationRules: [{ object: 'Contact', name: 'Phone_Has_10_Digits' }],
    },
    {
      reason: null,
      errorType: 'Picklist value',
      object: 'Contact',
      field: 'LeadSource',
      count: 40,
      example: 'bad value for restricted picklist field: Webinar',
    },
    {
      reason: null,
      errorType: 'Duplicates',
      object: 'Contact',
      field: null,
      count: 18,
      example: 'DUPLICATES_DETECTED: Use one of these records?',
    },
  ],
  groupsLeftOut: 0,
};

/**
 * Contact gets a custom field only HubSpot maps; the HubSpot permission set grants it Read, not
 * Edit (HubSpot cannot write it, as the export says).
 */
function addHubSpotOnlyField(): void {
  const { sim } = app.stack;
  const contact = sim.org.schema.get('Contact');
  if (!contact) throw new Error('The demo org has no Contact');
  const field = buildObjectSchema('Contact', {
    kind: contact.kind,
    keyPrefix: contact.keyPrefix,
    label: contact.label,
    fields: { [FIELD]: 'double' },
  }).fields.get(FIELD.toLowerCase());
  if (!field) throw new Error(`No ${FIELD} built`);
  contact.fields.set(FIELD.toLowerCase(), field);
  // HUBSPOT_PERMISSION_SET is the set's label, as HubSpot's article names it.
  const set = sim.records('PermissionSet').find((row) => row.Label === HUBSPOT_PERMISSION_SET);
  if (!set) throw new Error(`The demo org has no ${HUBSPOT_PERMISSION_SET} permission set`);
  const grant = (parentId: unknown, edit: boolean) =>
    sim.org.insert('FieldPermissions', {
      ParentId: parentId,
      SobjectType: 'Contact',
      Field: ROW,
      PermissionsRead: true,
      PermissionsEdit: edit,
    });
  grant(set.Id, false);
  // The admin reading the org sees the field (its field-level security, as a new field's creator
  // grants it): a field hidden from the reader is not judged.
  for (const assignment of sim
    .records('PermissionSetAssignment')
    .filter((row) => row.AssigneeId === sim.adminUser.Id))
    grant(assignment.PermissionSetId, true);
}

/** The status record the relay delivers, with the export's summary, as JSON text in Sync_Errors__c. */
function storeSuspension(): void {
  const f = STATUS_OBJECT.fields;
  const { sim, portalId } = app.stack;
  for (const row of sim.records(STATUS_OBJECT.name).filter((r) => r[f.portalId] === portalId))
    sim.org.delete(String(row.Id));
  sim.org.insert(STATUS_OBJECT.name, {
    [f.portalId]: portalId,
    [f.state]: 'suspended',
    [f.reason]: 'FIELD_PERMISSIONS_MISSING',
    [f.title]: 'Salesforce field permissions missing',
    [f.since]: '2026-11-28T10:00:00.000Z',
    [f.lastSeenAt]: '2026-11-28T11:00:00.000Z',
    [f.source]: 'sync-errors',
    [f.history]: JSON.stringify([
      {
        at: '2026-11-28T10:00:00.000Z',
        state: 'suspended',
        reason: 'FIELD_PERMISSIONS_MISSING',
        source: 'sync-errors',
        title: null,
      },
    ]),
    [f.syncErrors]: JSON.stringify(SYNC_ERRORS),
  });
}

beforeAll(async () => {
  await useDemoOrg(app.stack, { fixture: 'healthy', size: 'default' });
  addHubSpotOnlyField();
  storeSuspension();
  page = await app.browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await openApp(page, app.stack);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await page?.close();
});

test('the panel lists the sync errors and links the HubSpot-only field to its row, which the table now shows', async () => {
  const box = page.locator('[data-id="sync-errors"]');
  await box.waitFor({ timeout: 30_000 });
  expect(await page.locator('[data-id="sync-errors-heading"]').innerText()).toBe(
    "HubSpot's exported sync errors (received 2026-11-28 10:30 UTC): 434 rows",
  );
  const lines = page.locator('[data-id="sync-errors-line-text"]');
  expect(await lines.allInnerTexts()).toEqual([
    `${ROW}: Salesforce field permission, 312 rows (${await lineTitle()})`,
    "Contact ('Phone must have 10 digits'): Custom code, 64 rows",
    "Contact.LeadSource ('Webinar'): Picklist value, 40 rows",
    'Contact: Duplicates, 18 rows',
  ]);
  // Each group's kind and what to do, in the core's words (syncErrorKindInfo), visible under it.
  const kinds = page.locator('[data-id="sync-errors-line"]');
  expect(
    await kinds.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.kind)),
  ).toEqual(['field-permission', 'custom-code', 'picklist', 'duplicate']);
  const customCode = page.locator('[data-id="sync-errors-line"][data-kind="custom-code"]');
  const label = customCode.locator('[data-id="sync-errors-line-label"]');
  const advice = customCode.locator('[data-id="sync-errors-line-advice"]');
  expect(await label.isVisible()).toBe(true);
  expect(await label.innerText()).toBe('Custom code in Salesforce');
  expect(await advice.isVisible()).toBe(true);
  expect(await advice.innerText()).toMatch(
    /^A validation rule \(or a flow's Custom Error\) refused the record with this message/,
  );
  expect(await page.locator('[data-id="sync-errors-resync"]').innerText()).toContain('Resync');
  expect(await page.locator('[data-id="sync-errors-checks"]').innerText()).toContain(ROW);
  // Exported after the suspension began: no warning.
  expect(await page.locator('[data-id="sync-errors-stale"]').count()).toBe(0);

  // The page read the org again for the field: the table has its row, failing (no Edit).
  const row = page.locator(`[data-id="field-row"][data-field="${ROW}"]`);
  const link = page.locator(`[data-id="sync-errors-row-link"][data-name="${ROW}"]`);
  await link.waitFor({ timeout: 30_000 });
  // A word of its line (c/findingLinkStyles), as a finding's link is.
  expect(await link.evaluate((node) => getComputedStyle(node).display)).toBe('inline');
  await link.click();
  await row.waitFor({ timeout: 10_000 });
  expect(await row.innerText()).toContain(FIELD);
  expect(await row.getAttribute('class')).toContain('sd-row_revealed');
  // What the diagnosis finds now of the field (the core's syncErrorNow): still no Edit, so the
  // records need more than a resync; a warning icon whose text says it, not colour alone.
  const now = page.locator(
    '[data-id="sync-errors-line"][data-kind="field-permission"] [data-id="sync-errors-line-now"]',
  );
  await now.waitFor({ timeout: 30_000 });
  expect(await now.isVisible()).toBe(true);
  expect(await now.getAttribute('data-now')).toBe('missing');
  expect(await now.locator('[data-id="sync-errors-line-now-text"]').innerText()).toBe(
    `Now: the integration user still lacks edit on ${ROW}.`,
  );
  expect(await now.locator('lightning-icon').getAttribute('title')).toBe('Still missing');
  expect(await now.locator('lightning-icon .slds-assistive-text').innerText()).toBe(
    'Still missing',
  );
  // The validation group names the rule that sent its message, as the relay found it: information
  // (what sends the message), not a right still missing.
  const rule = await syncErrorNowLine(page, 'custom-code');
  expect(rule).toEqual({
    look: 'cause',
    text: "When the export arrived, the active validation rule Contact's Phone_Has_10_Digits sent this message (Setup > Object Manager > Contact > Validation Rules).",
    icon: 'What sends this message',
  });
  // The picklist group: Salesforce refused 'Webinar', and the org's Lead Source picklists, read
  // with their describe, are still restricted to their standard values (the rights are there).
  const picklist = await syncErrorNowLine(page, 'picklist');
  expect(picklist.look).toBe('missing');
  expect(picklist.text).toMatch(
    /^Now: Contact\.LeadSource and Lead\.LeadSource still have no active value 'Webinar': add it \(or activate it, if there but inactive\) in Setup > Object Manager > Contact and Lead > Fields & Relationships > LeadSource, or change HubSpot's property to send one of their 5 active values \('Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List' and 'Other'\)\.$/,
  );
  expect(picklist.text).not.toContain('lacks');
  expect(picklist.icon).toBe('Still missing');
  // The suspension's reason is confirmed by the field HubSpot named.
  expect(
    await page.locator('[data-id="suspension-agreement"]').getAttribute('data-agreement'),
  ).toBe('confirmed');
  expect((await wcagViolations(page)).map((violation) => violation.id)).toEqual([]);

  await box.scrollIntoViewIfNeeded();
  await page
    .locator('c-suspension-panel')
    .screenshot({ path: path.join(SCREENSHOT_DIR, '26-sync-errors-panel.png') });
  await screenshot(page, '26-sync-errors-row', { fullPage: false });
});

test("once the picklists have the value, the picklist line names the record type that still refuses it, read by the app's Apex", async () => {
  // The admin adds 'Webinar' to both Lead Source picklists; Lead's Partner Lead record type, set
  // up with its own values before, does not offer it. Restricted picklists refuse a value the
  // record's record type lacks with the same error, so the line must not say a resync is all.
  const { sim } = app.stack;
  const standard = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
  for (const object of ['Contact', 'Lead'])
    sim.org.schema.setField(object, 'LeadSource', {
      spec: 'picklist',
      values: [...standard, 'Webinar'],
      restricted: true,
    });
  sim.org.schema.addRecordType('Lead', {
    name: 'Partner Lead',
    values: { LeadSource: ['Web', 'Partner Referral'] },
  });
  const asked = page.waitForRequest('**/preview/apex/getRecordTypePicklists');
  await page.locator('[data-id="refresh-button"] button').click();
  // Asked for the restricted picklists that have the refused value now: both Lead Sources.
  expect(JSON.parse(JSON.parse((await asked).postData() ?? '{}').fieldsJson)).toEqual({
    fields: ['Contact.LeadSource', 'Lead.LeadSource'],
  });
  const line = page.locator(
    '[data-id="sync-errors-line"][data-kind="picklist"] [data-id="sync-errors-line-now-text"]',
  );
  // The line follows the new diagnosis first, then the record types' answer.
  let text = '';
  for (
    const deadline = Date.now() + 30_000;
    Date.now() < deadline;
    await page.waitForTimeout(200)
  ) {
    text = await line.innerText();
    if (text.includes('Partner Lead')) break;
  }
  expect(text).toBe(
    "Now: Contact.LeadSource and Lead.LeadSource have 'Webinar' among their active values; Lead's record type Partner Lead does not offer 'Webinar' for LeadSource: add it to it in Setup > Object Manager > Lead > Record Types (LeadSource's values).",
  );
  const picklist = await syncErrorNowLine(page, 'picklist');
  expect(picklist.look).toBe('missing');
  expect(picklist.icon).toBe('Still missing');
  expect((await wcagViolations(page)).map((violation) => violation.id)).toEqual([]);
  await page
    .locator('[data-id="sync-errors-line"][data-kind="picklist"]')
    .screenshot({ path: path.join(SCREENSHOT_DIR, '26-sync-errors-record-type.png') });
});

/** The catalog's English title of the field-permission reason, as the line ends with it. */
async function lineTitle(): Promise<string> {
  const { SUSPENSION_REASONS } = await import('@sync-doctor/core');
  return SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.en;
}
