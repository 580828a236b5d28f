/**
 * readValidationRules against the simulator's Tooling API: the org's active rules, every page, in
 * one request; hidden from a reader without "View Setup and Configuration"; a failure that passes
 * thrown, so the relay tries again.
 */
import { evaluateAccess, syncErrorGroupNow } from '@sync-doctor/core';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { readValidationRules } from '../src/collect/validationRules.js';
import { connect } from '../src/connect.js';
import { requestCount } from '../src/transport.js';
import { withSimulator } from './simulator.js';

const PHONE = {
  name: 'Phone_Has_10_Digits',
  formula: 'ISBLANK(Phone)',
  message: 'Phone must have 10 digits',
  field: 'Phone',
};

describe('readValidationRules', () => {
  it("reads the org's active rules in one request, and they name the rule behind a custom-code group", async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      sim.org.schema.addValidationRule('Contact', PHONE);
      sim.org.schema.addValidationRule('Lead', { ...PHONE, name: 'Off', active: false });
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const before = requestCount(conn);
      const read = await readValidationRules(conn);
      expect(requestCount(conn) - before).toBe(1);
      expect(read.read).toBe(true);
      const records = read.read ? read.records : [];
      expect(records.map((r) => r.ValidationName).sort()).toEqual([
        'Phone_Has_10_Digits',
        'Status_Never_Goes_Back',
      ]);
      expect(records.find((r) => r.ValidationName === 'Phone_Has_10_Digits')).toEqual({
        Id: expect.stringMatching(/^03d/),
        ValidationName: 'Phone_Has_10_Digits',
        Active: true,
        ErrorMessage: 'Phone must have 10 digits',
        ErrorDisplayField: 'Phone',
        EntityDefinition: { QualifiedApiName: 'Contact' },
      });
      const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const diagnosis = evaluateAccess({ ...snapshot, validationRules: records });
      const group = {
        reason: null,
        errorType: 'Custom code',
        object: 'contact',
        field: 'Phone',
        example: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]',
      };
      expect(syncErrorGroupNow(group, diagnosis)!.text).toBe(
        "Now: the active validation rule Contact's Phone_Has_10_Digits sends this message (Setup > Object Manager > Contact > Validation Rules).",
      );
    });
  });

  it('says a reader without View Setup and Configuration may not read them, in Salesforce words', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      for (const set of sim.records('PermissionSet')) set.PermissionsViewSetup = false;
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const read = await readValidationRules(conn);
      expect(read).toMatchObject({
        read: false,
        cause: 'needs-permissions',
        errorCode: 'INVALID_TYPE',
      });
      expect(read.read === false && read.message).toContain(
        "sObject type 'ValidationRule' is not supported",
      );
    });
  });

  it('throws a failure that passes (503), so a caller that retries tries again', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.injectFault({ path: '/tooling/query', fault: 'SERVER_UNAVAILABLE', times: 1 });
      await expect(readValidationRules(conn)).rejects.toMatchObject({ statusCode: 503 });
      expect((await readValidationRules(conn)).read).toBe(true);
    });
  });
});
