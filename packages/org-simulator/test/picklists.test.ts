/**
 * Picklist values as Salesforce keeps them: describe lists the active values and those deactivated
 * in Setup (active false), and a restricted picklist refuses any value not active, a deactivated
 * one included, with Salesforce's INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.
 */
import { API, describedField, startTestOrg, type TestOrg } from './helpers.js';

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

const STANDARD_LEAD_SOURCES = [
  'Web',
  'Phone Inquiry',
  'Partner Referral',
  'Purchased List',
  'Other',
];

type Entry = { value: string; label: string; active: boolean };
const entries = (field: Record<string, unknown> | undefined) =>
  (field?.picklistValues as Entry[]).map(({ value, active }) => ({ value, active }));

const createContact = (LeadSource: string) =>
  org.send('POST', `${API}/sobjects/Contact`, { LastName: 'Picklist', LeadSource });

describe('picklist values', () => {
  test("Contact's and Lead's LeadSource carry Salesforce's standard Lead Source values, restricted", async () => {
    for (const sobject of ['Contact', 'Lead']) {
      const field = await describedField(org, sobject, 'LeadSource');
      expect(field).toMatchObject({
        type: 'picklist',
        restrictedPicklist: true,
        label: 'Lead Source',
      });
      expect(entries(field)).toEqual(
        STANDARD_LEAD_SOURCES.map((value) => ({ value, active: true })),
      );
    }
  });

  test('describe lists a deactivated value with active false, after the active ones', async () => {
    org.sim.org.schema.setField('Contact', 'LeadSource', {
      spec: 'picklist',
      values: ['Web', 'Other'],
      inactive: ['Webinar'],
      restricted: true,
    });
    expect(entries(await describedField(org, 'Contact', 'LeadSource'))).toEqual([
      { value: 'Web', active: true },
      { value: 'Other', active: true },
      { value: 'Webinar', active: false },
    ]);
  });

  test('a restricted picklist refuses a deactivated value as Salesforce does, and takes it once active', async () => {
    org.sim.org.schema.setField('Contact', 'LeadSource', {
      spec: 'picklist',
      values: STANDARD_LEAD_SOURCES,
      inactive: ['Webinar'],
      restricted: true,
    });
    const refused = await createContact('Webinar');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual([
      {
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'Lead Source: bad value for restricted picklist field: Webinar',
        fields: ['LeadSource'],
      },
    ]);
    expect((await createContact('Web')).status).toBe(201);
    // An admin activates it: the next write takes it.
    org.sim.org.schema.setField('Contact', 'LeadSource', {
      spec: 'picklist',
      values: [...STANDARD_LEAD_SOURCES, 'Webinar'],
      restricted: true,
    });
    expect((await createContact('Webinar')).status).toBe(201);
  });

  test('an unrestricted picklist takes a deactivated value, and any other', async () => {
    org.sim.org.schema.setField('Contact', 'LeadSource', {
      spec: 'picklist',
      values: ['Web'],
      inactive: ['Webinar'],
    });
    expect((await createContact('Webinar')).status).toBe(201);
    expect((await createContact('Trade Show')).status).toBe(201);
  });

  test('setField keeps the field API name and refuses an object the org lacks', () => {
    const field = org.sim.org.schema.setField('contact', 'leadsource', { spec: 'picklist' });
    expect(field.name).toBe('LeadSource');
    expect(org.sim.org.schema.field('Contact', 'LeadSource')).toBe(field);
    expect(() => org.sim.org.schema.setField('Nope__c', 'X__c', 'string')).toThrow(/Nope__c/);
  });
});
