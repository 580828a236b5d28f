import { readFileSync } from 'node:fs';
import { API, startTestOrg } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readPackageObjects, OUTPUT } = require('../scripts/packageObjects.cjs') as {
  readPackageObjects: () => unknown;
  OUTPUT: string;
};

describe("the package's own objects", () => {
  test('package-objects.json is up to date with force-app (else run node scripts/packageObjects.cjs)', () => {
    expect(JSON.parse(readFileSync(OUTPUT, 'utf8'))).toEqual(readPackageObjects());
  });

  test('writes respect the metadata: restricted picklists and field lengths', async () => {
    const org = await startTestOrg();
    try {
      const url = `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/123`;
      const badState = await org.send('PATCH', url, { State__c: 'SUSPENDED' });
      expect(badState.status).toBe(400);
      expect(await badState.json()).toEqual([
        {
          errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          message: 'State: bad value for restricted picklist field: SUSPENDED',
          fields: ['State__c'],
        },
      ]);
      const longPortal = await org.send(
        'PATCH',
        `${API}/sobjects/HubSpot_Sync_Status__c/Portal_Id__c/${'9'.repeat(33)}`,
        { State__c: 'suspended' },
      );
      expect(((await longPortal.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
        'STRING_TOO_LONG',
      );
      expect(
        (await org.send('PATCH', url, { State__c: 'suspended', Source__c: 'webhook' })).status,
      ).toBe(201);
      const event = await org.send('POST', `${API}/sobjects/Sync_Doctor_Event__e`, {
        State__c: 'x'.repeat(17),
      });
      expect(event.status).toBe(400);
      const describe = (await (
        await org.get(`${API}/sobjects/HubSpot_Sync_Status__c/describe`)
      ).json()) as { fields: Array<Record<string, unknown>> };
      const state = describe.fields.find((f) => f.name === 'State__c')!;
      expect(state.restrictedPicklist).toBe(true);
      expect((state.picklistValues as Array<{ value: string }>).map((v) => v.value)).toEqual([
        'suspended',
        'suspected',
        'cleared',
      ]);
      const settings = await org.query(
        'SELECT Id, HubSpot_Portal_Id__c, Integration_User_Id__c FROM Sync_Doctor_Settings__c',
      );
      expect(settings.status).toBe(200);
    } finally {
      await org.sim.close();
    }
  });
});
