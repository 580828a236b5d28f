/**
 * readDuplicateRules against the simulator's User Interface API: each object's active duplicate
 * rules with their actions, one request per object; an object the reader may not see left out; a
 * failure that passes thrown.
 */
import { evaluateAccess, syncErrorGroupNow } from '@sync-doctor/core';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { readDuplicateRules } from '../src/collect/duplicateRules.js';
import { connect } from '../src/connect.js';
import { requestCount } from '../src/transport.js';
import { withSimulator } from './simulator.js';

const GROUP = {
  reason: null,
  errorType: 'Duplicates',
  object: 'contact',
  field: null,
  example: 'DUPLICATES_DETECTED: Use one of these records?',
};

describe('readDuplicateRules', () => {
  it("reads each object's active rules in one request each, and they say which refuse a duplicate group's writes", async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      sim.org.schema.addDuplicateRule('Contact', {
        name: 'Standard Contact Duplicate Rule',
        actionOnInsert: 'Allow',
        actionOnUpdate: 'Allow',
        operationsOnInsert: ['Alert', 'Report'],
        operationsOnUpdate: ['Alert', 'Report'],
      });
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const before = requestCount(conn);
      const read = await readDuplicateRules(conn, ['Contact', 'Lead', 'Nope__c']);
      expect(requestCount(conn) - before).toBe(3);
      expect(read.read).toBe(true);
      const configs = read.read ? read.configs : [];
      // The unknown object is left out.
      expect(configs.map((c) => c.apiName)).toEqual(['Contact', 'Lead']);
      const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const diagnosis = evaluateAccess({ ...snapshot, duplicateRules: configs });
      expect(syncErrorGroupNow(GROUP, diagnosis)!.text).toBe(
        "Now: the active duplicate rule Contact's Standard Contact Duplicate Rule (alerts on create and edit) refuses a duplicate HubSpot writes: a rule that alerts refuses an API write as a block does, unless the write asks to save anyway (Setup > Duplicate Management > Duplicate Rules).",
      );
    });
  });

  it('throws a failure that passes (503), so a caller that retries tries again', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.injectFault({ path: '/ui-api/duplicates', fault: 'SERVER_UNAVAILABLE', times: 1 });
      await expect(readDuplicateRules(conn, ['Contact'])).rejects.toMatchObject({
        statusCode: 503,
      });
      expect(await readDuplicateRules(conn, ['Contact'])).toMatchObject({ read: true });
    });
  });

  it('says a refusal that does not pass (the API disabled for the org) as not read', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.injectFault({ path: '/ui-api/duplicates', fault: 'API_DISABLED_FOR_ORG', times: 1 });
      expect(await readDuplicateRules(conn, ['Contact'])).toMatchObject({
        read: false,
        cause: 'error',
        errorCode: 'API_DISABLED_FOR_ORG',
      });
    });
  });
});
