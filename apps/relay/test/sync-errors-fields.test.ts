import { summarizeSyncErrors, syncErrorFieldChoices } from '@sync-doctor/core';
import { readSyncErrors } from '../src/inputs/syncErrors.js';

// A group keeps its first message only. When the export's field column is missing, or holds
// HubSpot's property names, every field-permission row of an object was one group, and only the
// first row's field reached Salesforce: rows are grouped by the fields Salesforce's message names.

async function* chunks(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text, 'utf8');
}

const read = (lines: string[]) => readSyncErrors(chunks(`${lines.join('\r\n')}\r\n`));

const unable = (fields: string) =>
  `"INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: ${fields}. Please check the security settings of this field and if they are visible and editable by the integration user."`;

/** The fields the core would check, from the summary Salesforce receives. */
const checked = (report: Awaited<ReturnType<typeof read>>) =>
  syncErrorFieldChoices(summarizeSyncErrors(report, '2026-12-02T08:00:00.000Z'));

describe('field-permission rows grouped by the fields their message names', () => {
  test('no field column, 3 rows naming 3 fields: 3 findings, each naming its field, all checked', async () => {
    const report = await read([
      'Error type,Object,Error message',
      `Salesforce field permission,Contact,${unable('Score__c')}`,
      `Salesforce field permission,Contact,${unable('Industry')}`,
      `Salesforce field permission,Contact,${unable('Region__c')}`,
    ]);
    expect(report.rows).toBe(3);
    const permissions = report.findings.filter((f) => f.reason === 'FIELD_PERMISSIONS_MISSING');
    expect(permissions.map((f) => [f.field, f.count])).toEqual([
      ['Score__c', 1],
      ['Industry', 1],
      ['Region__c', 1],
    ]);
    for (const finding of permissions) {
      expect(finding.example).toContain(finding.field);
      expect(finding.step).toContain(`Contact.${finding.field}`);
    }
    // A HubSpot contact is a Contact or a Lead in Salesforce: the core names both.
    expect(checked(report)).toEqual([
      ['Contact.Score__c', 'Lead.Score__c'],
      ['Contact.Industry', 'Lead.Industry'],
      ['Contact.Region__c', 'Lead.Region__c'],
    ]);
  });

  test('a row naming 2 fields counts in both groups; rows stays the rows of the export', async () => {
    const report = await read([
      'Error type,Object,Error message',
      `Salesforce field permission,Contact,${unable('Score__c, Industry')}`,
      `Salesforce field permission,Contact,${unable('Industry')}`,
    ]);
    expect(report.rows).toBe(2);
    expect(report.byErrorType).toEqual({ 'Salesforce field permission': 2 });
    expect(report.findings.map((f) => [f.field, f.count])).toEqual([
      ['Industry', 2],
      ['Score__c', 1],
    ]);
    expect(checked(report).flat()).toEqual(
      expect.arrayContaining(['Contact.Score__c', 'Contact.Industry']),
    );
  });

  test("HubSpot's property names in the field column: grouped by the Salesforce names in the message", async () => {
    const report = await read([
      'Error type,Object,Property name,Error message',
      `Salesforce field permission,Contact,hs_lead_score,${unable('Lead_Score__c')}`,
      `Salesforce field permission,Contact,hs_lead_score,${unable('Lead_Score__c')}`,
      `Salesforce field permission,Contact,industry,${unable('Industry')}`,
      // No such column: the message names the object too.
      `Salesforce field permission,Contact,region,"INVALID_FIELD: No such column 'Region__c' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c'"`,
    ]);
    expect(report.findings.map((f) => [f.field, f.count])).toEqual([
      ['Lead_Score__c', 2],
      ['Industry', 1],
      ['Lead.Region__c', 1],
    ]);
    // The export's column is still counted as it came.
    expect(report.byField).toEqual({
      'Contact.hs_lead_score': 2,
      'Contact.industry': 1,
      'Contact.region': 1,
    });
    expect(checked(report)).toEqual([
      ['Contact.Lead_Score__c', 'Lead.Lead_Score__c'],
      ['Contact.Industry', 'Lead.Industry'],
      ['Lead.Region__c'],
    ]);

    // A Salesforce name in the field column keeps its group, and other messages are not split.
    const columnNamed = await read([
      'Error type,Object,Field,Error message',
      `Salesforce field permission,Contact,Industry,${unable('Industry')}`,
      `Salesforce field permission,Contact,Industry,${unable('Industry')}`,
      'Picklist,Lead,,Value Hot is not in the picklist',
      'Picklist,Lead,,Value Cold is not in the picklist',
    ]);
    expect(columnNamed.findings.map((f) => [f.errorType, f.field, f.count])).toEqual([
      ['Salesforce field permission', 'Industry', 2],
      ['Picklist', null, 2],
    ]);
  });

  test('groups naming a field are kept however many larger groups there are', async () => {
    // 250 groups of 2 rows each, more than the findings kept (200), then 3 fields of 1 row each.
    const picklists = Array.from({ length: 250 }, (_, i) => [
      `Picklist,Lead,Value ${i} is not in the picklist`,
      `Picklist,Lead,Value ${i} is not in the picklist`,
    ]).flat();
    const picklistsByType = picklists.map((line, i) =>
      line.replace('Picklist', `Picklist ${i >> 1}`),
    );
    const report = await read([
      'Error type,Object,Error message',
      ...picklistsByType,
      `Salesforce field permission,Contact,${unable('Score__c')}`,
      `Salesforce field permission,Contact,${unable('Industry, Region__c')}`,
    ]);
    expect(report.rows).toBe(502);
    expect(
      report.findings.filter((f) => f.reason === 'FIELD_PERMISSIONS_MISSING').map((f) => f.field),
    ).toEqual(['Score__c', 'Industry', 'Region__c']);
  });
});

describe("the step (the core's advice) names the field as Salesforce names it", () => {
  test("HubSpot's property in the field column, Salesforce's name in the message: the step names Salesforce's", async () => {
    const report = await read([
      'Fejltype;Objekt;Egenskab;Fejlmeddelelse',
      `Salesforce field permission;Kontakt;hs_score;${unable('Hub_Score__c')}`,
      'Salesforce field permission;Kontakt;hs_rank;Could not sync the record',
    ]);
    const steps = report.findings
      .filter((f) => f.reason === 'FIELD_PERMISSIONS_MISSING')
      .map((f) => f.step);
    expect(steps).toContain(
      'Give the integration user read and edit access to Contact.Hub_Score__c or Lead.Hub_Score__c (field-level security). A formula, roll-up or auto-number field is never writable: sync it into HubSpot only.',
    );
    // No Salesforce name anywhere: HubSpot's words as they are, never 'Kontakt.hs_rank'.
    expect(steps).toContain(
      'Find the Salesforce field HubSpot\'s "hs_rank" (Kontakt) is mapped to, and give the integration user read and edit access to it (field-level security).',
    );
    expect(steps.join('\n')).not.toMatch(/Kontakt\.hs_/);
  });
});

describe('rows grouped by the value a picklist refused, or the inactive owner', () => {
  // A group keeps one example: rows refusing 'Webinar' and 'Trade Show' in one group made the app
  // read it fixed once 'Trade Show' was added while 'Webinar' was still refused.
  const refused = (value: string) =>
    `"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Source: bad value for restricted picklist field: ${value}: [LeadSource]"`;
  const owner = (id: string) =>
    `"INACTIVE_OWNER_OR_USER: operation performed with inactive user [${id}] as owner of contact"`;

  test('each refused value and each owner is a group of its own, with its own example', async () => {
    const report = await read([
      'Error type,Object,Field,Error message',
      `Picklist value,Contact,LeadSource,${refused('Webinar')}`,
      `Picklist value,Contact,LeadSource,${refused('Trade Show')}`,
      `Picklist value,Contact,LeadSource,${refused('Webinar')}`,
      `Inactive owner,Contact,,${owner('0055g00000AbCdEAAZ')}`,
      // The same user by its 15-character Id.
      `Inactive owner,Contact,,${owner('0055g00000AbCdE')}`,
      `Inactive owner,Contact,,${owner('0055g00000XyZwVAAZ')}`,
    ]);
    expect(report.rows).toBe(6);
    expect(
      report.findings.map((f) => [
        f.errorType,
        f.count,
        f.example?.match(/(?<=: )\w[\w ]*(?=: \[)|005\w+/)?.[0],
      ]),
    ).toEqual([
      ['Picklist value', 2, 'Webinar'],
      ['Inactive owner', 2, '0055g00000AbCdEAAZ'],
      ['Picklist value', 1, 'Trade Show'],
      ['Inactive owner', 1, '0055g00000XyZwVAAZ'],
    ]);
    expect(report.byErrorType).toEqual({ 'Picklist value': 3, 'Inactive owner': 3 });
  });

  // Salesforce names a validation rule only by its message: rows of two rules in one group showed
  // one rule's message, and the other rule was never named.
  test("each validation rule's message is a group of its own, spacing and case aside", async () => {
    const rule = (message: string) => `"FIELD_CUSTOM_VALIDATION_EXCEPTION: ${message}: [Phone]"`;
    const report = await read([
      'Error type,Object,Field,Error message',
      `Custom code,Contact,Phone,${rule('Phone must have 10 digits')}`,
      `Custom code,Contact,Phone,${rule('Phone is required for EMEA')}`,
      `Custom code,Contact,Phone,${rule('phone must  have 10 digits')}`,
    ]);
    expect(report.findings.map((f) => [f.count, f.example])).toEqual([
      [2, 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]'],
      [1, 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone is required for EMEA: [Phone]'],
    ]);
  });
});
