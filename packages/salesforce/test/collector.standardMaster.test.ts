/**
 * A custom detail whose master is a standard child of Account (Opportunity, Contact, Contract): the
 * plan's Read on that master adds Account's, and with Person Accounts Account's needs Contact's, so
 * the collector must describe Account for it even when no requirement names Account or its children.
 */
import { evaluateAccess, planRemediation, type Requirements } from '@sync-doctor/core';
import { buildObjectSchema, startOrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';

const onlyVisits: Requirements = {
  objects: [{ name: 'Visit__c', access: ['read', 'create'] }],
  fields: [],
  permissionSets: [],
  systemPermissions: ['PermissionsApiEnabled'],
};

it("describes Account for a master that needs its Read, so Person Accounts' Contact Read is planned", async () => {
  const sim = await startOrgSimulator({ port: 0, fixture: 'healthy', personAccounts: true });
  try {
    sim.org.schema.add(
      buildObjectSchema('Visit__c', {
        kind: 'data',
        keyPrefix: 'a0V',
        label: 'Visit',
        fields: { Name: 'string', Opportunity__c: 'reference:Opportunity master=0' },
      }),
    );
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    const result = await collectSnapshot(conn, {
      user: sim.integrationUser.Username,
      requirements: onlyVisits,
    });
    expect(result.snapshot.objects).toMatchObject({
      Visit__c: { exists: true, masterDetailParents: ['Opportunity'] },
      Account: { exists: true, personAccounts: true },
    });
    const plan = planRemediation(evaluateAccess(result.snapshot, onlyVisits));
    expect(plan.objectPermissions.map((o) => o.sobjectType)).toEqual(
      expect.arrayContaining(['Visit__c', 'Opportunity', 'Account', 'Contact']),
    );
  } finally {
    await sim.close();
  }
});
