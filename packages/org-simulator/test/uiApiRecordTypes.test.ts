import { MASTER_RECORD_TYPE_ID } from '../src/index.js';
import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

// Record types and the picklist values each offers, as Sync Doctor's collector reads them to say
// which record types still refuse a value a picklist group's records were refused: SOQL on
// RecordType, then the User Interface API's picklist values of each record type.

let org: TestOrg;
let partner: string;
beforeAll(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
  partner = org.sim.org.schema.addRecordType('Lead', {
    name: 'Partner Lead',
    values: { LeadSource: ['Web', 'Partner Referral'] },
  });
  org.sim.org.schema.addRecordType('Lead', { name: 'Old Lead', active: false });
});
afterAll(() => org.sim.close());

type Collection = {
  picklistFieldValues: Record<string, { values: { value: string; label: string }[] }>;
};
const valuesOf = async (path: string, field: string) => {
  const response = await org.get(`${API}/ui-api/object-info/${path}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as Collection).picklistFieldValues[field]!.values.map(
    (v) => v.value,
  );
};

describe('SOQL on RecordType', () => {
  test("lists each object's record types, the inactive ones too, with a developer name from the label", async () => {
    const body = (await (
      await org.query(
        "SELECT Id, Name, DeveloperName, SobjectType, IsActive FROM RecordType WHERE SobjectType IN ('Lead', 'Contact') ORDER BY Name",
      )
    ).json()) as { records: Record<string, unknown>[] };
    expect(body.records.map((r) => [r.Name, r.DeveloperName, r.SobjectType, r.IsActive])).toEqual([
      ['Old Lead', 'Old_Lead', 'Lead', false],
      ['Partner Lead', 'Partner_Lead', 'Lead', true],
    ]);
    expect(String(body.records[1]!.Id)).toBe(partner);
  });
});

describe('GET /ui-api/object-info/{object}/picklist-values/{recordTypeId}', () => {
  test('a record type offers its own values of a picklist, and all of the others', async () => {
    expect(await valuesOf(`Lead/picklist-values/${partner}`, 'LeadSource')).toEqual([
      'Web',
      'Partner Referral',
    ]);
    const master = await valuesOf(`Lead/picklist-values/${MASTER_RECORD_TYPE_ID}`, 'LeadSource');
    expect(master).toEqual(org.sim.org.schema.field('Lead', 'LeadSource')!.picklistValues);
    expect(await valuesOf(`Lead/picklist-values/${partner}`, 'Industry')).toEqual(
      org.sim.org.schema.field('Lead', 'Industry')!.picklistValues,
    );
  });

  test("refuses another object's record type, an unknown one, other methods and older APIs", async () => {
    expect(
      (await org.get(`${API}/ui-api/object-info/Contact/picklist-values/${partner}`)).status,
    ).toBe(404);
    expect(
      (await org.get(`${API}/ui-api/object-info/Lead/picklist-values/012000000000099AAA`)).status,
    ).toBe(404);
    expect(
      (await org.send('POST', `${API}/ui-api/object-info/Lead/picklist-values/${partner}`, {}))
        .status,
    ).toBe(405);
    expect(
      (await org.get(`/services/data/v40.0/ui-api/object-info/Lead/picklist-values/${partner}`))
        .status,
    ).toBe(404);
    expect((await org.get(`${API}/ui-api/object-info/Lead`)).status).toBe(404);
  });

  test('hides an object the user may not read', async () => {
    const relay = await asUser(org.sim, org.sim.relayUser.Username);
    expect(
      (await relay('GET', `${API}/ui-api/object-info/Lead/picklist-values/${partner}`)).status,
    ).toBe(404);
  });
});
