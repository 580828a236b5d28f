import { readSyncErrors } from '../src/inputs/syncErrors.js';

// HubSpot does not document its export's columns: more of the names such exports use are read,
// and an affected-records count makes a row weigh the records it stands for.

async function* chunks(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text, 'utf8');
}

const read = (lines: string[]) => readSyncErrors(chunks(`${lines.join('\r\n')}\r\n`));

describe('an affected-records column', () => {
  test.each([
    'Affected records',
    'Records affected',
    'Number of records',
    'Count',
    'Berørte poster',
  ])(
    '"%s": every count but rows counts records; rows and each finding\'s rows count rows',
    async (heading) => {
      const report = await read([
        `Error type;Object;Field;${heading};Error message`,
        'Salesforce field permission;Contact;Industry;1.204;INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry.',
        'Salesforce field permission;Contact;Industry;6;INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Industry.',
        'Picklist;Lead;Rating;;Value Hot is not in the picklist',
        'Picklist;Lead;Rating;many;Value Cold is not in the picklist',
      ]);
      expect(report.columns.records).toBe(heading);
      expect(report.rows).toBe(4);
      // A blank or unreadable cell is one record: the row is one error at least.
      expect(report.records).toBe(1212);
      expect(report.byErrorType).toEqual({ 'Salesforce field permission': 1210, Picklist: 2 });
      expect(report.byObject).toEqual({ Contact: 1210, Lead: 2 });
      expect(report.byField).toEqual({ 'Contact.Industry': 1210, 'Lead.Rating': 2 });
      expect(report.findings.map((f) => [f.field, f.count, f.rows])).toEqual([
        ['Industry', 1210, 2],
        ['Rating', 2, 2],
      ]);
    },
  );

  test('findings go most records first, not most rows', async () => {
    const report = await read([
      'Error type,Object,Affected records,Error message',
      'Picklist,Lead,1,Value Hot is not in the picklist',
      'Picklist,Lead,1,Value Hot is not in the picklist',
      'Duplicate,Contact,"2,500",Duplicate value found',
    ]);
    expect(report.findings.map((f) => [f.errorType, f.count, f.rows])).toEqual([
      ['Duplicate', 2500, 1],
      ['Picklist', 2, 2],
    ]);

    // Without the column, counts are rows, and neither records nor a finding's rows is there.
    const rowsOnly = await read(['Error type,Object,Error message', 'Picklist,Lead,Value Hot']);
    expect(rowsOnly).not.toHaveProperty('records');
    expect(rowsOnly.findings[0]).not.toHaveProperty('rows');
    expect(rowsOnly.findings[0]!.count).toBe(1);
  });
});

describe('more column names', () => {
  test.each([
    ['Salesforce field name', 'field'],
    ['Salesforce field API name', 'field'],
    ['Field label', 'field'],
    ['Property label', 'field'],
    ['Object name', 'object'],
    ['HubSpot object type', 'object'],
    ['Error reason', 'errorType'],
    ['Reason', 'errorType'],
    ['Error description', 'message'],
  ])('"%s" is the %s column', async (heading, column) => {
    const others = ['errorType', 'message'].includes(column)
      ? 'Object,Field'
      : 'Error type,Error message';
    const report = await read([`${others},${heading}`, 'a,b,c']);
    expect(report.columns).toMatchObject({ [column]: heading });
  });

  test("the Salesforce field's API name is taken over a HubSpot property beside it", async () => {
    const report = await read([
      'Error type,Property name,Salesforce field API name,Object,Error message',
      'Salesforce field permission,hs_lead_score,Lead_Score__c,Contact,No access',
    ]);
    expect(report.columns.field).toBe('Salesforce field API name');
    expect(report.findings[0]!.field).toBe('Lead_Score__c');
  });

  test('a Salesforce id is the record id over a HubSpot id, whichever comes first', async () => {
    const report = await read([
      'Error type,HubSpot ID,Salesforce ID,Error message',
      'Picklist,101,00Q5e000001AbCdEAK,Value Hot',
    ]);
    expect(report.columns.recordId).toBe('Salesforce ID');
  });
});
