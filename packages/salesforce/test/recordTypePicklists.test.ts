/**
 * readRecordTypePicklists against the simulator: one RecordType query, then each active record
 * type's picklist values (User Interface API); an object whose record types the reader cannot all
 * read left out; a failure that passes thrown.
 */
import { evaluateAccess, syncErrorGroupNow } from '@sync-doctor/core';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { MAX_RECORD_TYPES, readRecordTypePicklists } from '../src/collect/recordTypePicklists.js';
import { connect } from '../src/connect.js';
import { requestCount } from '../src/transport.js';
import { jwtKeyPair, withSimulator } from './simulator.js';

/** A HubSpot contact's Lead Source refused 'Webinar', which the healthy org's picklists have. */
const GROUP = {
  reason: null,
  errorType: 'Picklist value',
  object: 'contact',
  field: 'LeadSource',
  example:
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Source: bad value for restricted picklist field: Webinar: [LeadSource]',
};

describe('readRecordTypePicklists', () => {
  it("reads each active record type's values in one request each, and they say which still refuse the value", async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      for (const object of ['Contact', 'Lead'])
        sim.org.schema.setField(object, 'LeadSource', {
          spec: 'picklist',
          values: ['Web', 'Webinar', 'Other'],
          restricted: true,
        });
      sim.org.schema.addRecordType('Lead', {
        name: 'Partner Lead',
        values: { LeadSource: ['Web'] },
      });
      sim.org.schema.addRecordType('Lead', { name: 'Direct Lead' });
      sim.org.schema.addRecordType('Lead', { name: 'Retired', active: false });
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const before = requestCount(conn);
      const read = await readRecordTypePicklists(conn, ['Contact', 'Lead']);
      // The query, then the two active record types.
      expect(requestCount(conn) - before).toBe(3);
      expect(read.read).toBe(true);
      expect(read.read && read.unread).toEqual([]);
      const objects = read.read ? read.objects : [];
      expect(
        objects.map((o) => [o.apiName, (o.recordTypes as { name: string }[]).map((r) => r.name)]),
      ).toEqual([
        ['Contact', []],
        ['Lead', ['Direct Lead', 'Partner Lead']],
      ]);
      const { snapshot } = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements: {
          objects: [],
          fields: [
            { name: 'Contact.LeadSource', access: ['read', 'edit'] },
            { name: 'Lead.LeadSource', access: ['read', 'edit'] },
          ],
          permissionSets: [],
          systemPermissions: [],
        },
      });
      const diagnosis = evaluateAccess({ ...snapshot, recordTypePicklists: objects });
      expect(syncErrorGroupNow(GROUP, diagnosis)!.text).toContain(
        "Lead's record type Partner Lead does not offer 'Webinar' for LeadSource: add it to it in Setup > Object Manager > Lead > Record Types (LeadSource's values)",
      );
    });
  });

  it("leaves out an object whose record types' values the reader may not read", async () => {
    const { privatePem, publicKey } = jwtKeyPair();
    await withSimulator({ fixture: 'healthy', jwtPublicKey: publicKey }, async (sim) => {
      sim.org.schema.addRecordType('Lead', { name: 'Partner Lead' });
      // The relay's user reads no Lead: the UI API has no resource for it (404 NOT_FOUND).
      const conn = await connect({
        kind: 'jwt',
        clientId: '3MVG9SyncDoctor',
        privateKey: privatePem,
        username: sim.relayUser.Username,
        loginUrl: sim.url,
      });
      const read = await readRecordTypePicklists(conn, ['Contact', 'Lead']);
      expect(read.read && read.objects.map((o) => o.apiName)).toEqual(['Contact']);
      // Named, so the CLI and the app can say which record type went unread.
      expect(read.read && read.unread).toEqual([{ object: 'Lead', recordType: 'Partner Lead' }]);
    });
  });

  it('reads none of too many record types, and throws a failure that passes (503)', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.injectFault({ path: '/ui-api/object-info', fault: 'SERVER_UNAVAILABLE', times: 1 });
      sim.org.schema.addRecordType('Lead', { name: 'Partner Lead' });
      await expect(readRecordTypePicklists(conn, ['Lead'])).rejects.toMatchObject({
        statusCode: 503,
      });
      for (let i = 0; i < MAX_RECORD_TYPES; i++)
        sim.org.schema.addRecordType('Lead', { name: `Type ${i}` });
      const before = requestCount(conn);
      expect(await readRecordTypePicklists(conn, ['Lead'])).toMatchObject({
        read: false,
        cause: 'too-many',
        message: `${MAX_RECORD_TYPES + 1} active record types, more than the ${MAX_RECORD_TYPES} read at once`,
      });
      expect(requestCount(conn) - before).toBe(1);
    });
  });
});
