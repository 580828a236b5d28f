/**
 * The exit's line for a relayed suspension (stderr, --json's "exit"): how the suspension ends,
 * by its reason, as the core says it (suspensionLiftedClause), not always "until it is cleared in
 * HubSpot", which is false for a reason HubSpot lifts by itself and for one reconnecting lifts.
 */
import { decideExit } from '../src/commands/check/exit.js';
import type { Diagnosis } from '@sync-doctor/core';
import { readOnlyContactsDiagnosis, relayedStatus } from './support.js';

const healthyDiagnosis = (): Diagnosis => ({
  ...readOnlyContactsDiagnosis(),
  verdict: 'healthy',
  findings: [],
});

const stopped = "the sync is stopped whatever Salesforce's side looks like, ";
const messageFor = (reason: string) =>
  decideExit(healthyDiagnosis(), relayedStatus({ reason: reason as never }), {
    failOn: 'error',
  }).message;

describe('decideExit under a reported suspension', () => {
  it('says how its reason is lifted', () => {
    expect(messageFor('HUBSPOT_API_LIMIT_EXCEEDED')).toContain(
      `${stopped}for now: HubSpot resumes by itself once calls fall out of the rolling 24-hour window.`,
    );
    expect(messageFor('API_ACCESS_DISABLED')).toContain(
      `${stopped}until you re-enter the integration user's Salesforce credentials in HubSpot (reconnect)`,
    );
    expect(messageFor('OBJECT_PERMISSIONS_MISSING')).toContain(
      `${stopped}until you clear the suspension in HubSpot.`,
    );
    for (const reason of ['HUBSPOT_API_LIMIT_EXCEEDED', 'API_ACCESS_DISABLED'])
      expect(messageFor(reason)).not.toMatch(/until (it is cleared|you clear)/);
  });

  it('a suspected one still says where to see it, and the findings after', () => {
    const decision = decideExit(
      healthyDiagnosis(),
      relayedStatus({ state: 'suspected', reason: 'HUBSPOT_API_LIMIT_EXCEEDED' }),
      { failOn: 'error' },
    );
    expect(decision).toMatchObject({ code: 1, reason: 'suspended' });
    expect(decision.message).toContain(
      "the sync may be stopped whatever Salesforce's side looks like: HubSpot's Salesforce integration settings show it.",
    );
  });
});

describe('decideExit when the status record could not be read', () => {
  it.each(['absent', 'no-access', 'error'])(
    '%s: a check not made (3), not "nothing relayed" (0); --allow-unchecked accepts it',
    (cause) => {
      const statusUnread = { cause, errorCode: 'INVALID_TYPE' };
      const strict = decideExit(healthyDiagnosis(), null, { failOn: 'error', statusUnread });
      expect(strict).toMatchObject({ code: 3, reason: 'unchecked' });
      expect(strict.message).toContain("(HubSpot's relayed suspension status)");
      expect(strict.message).toContain('HubSpot_Sync_Status__c could not be read [INVALID_TYPE]');
      const allowed = decideExit(healthyDiagnosis(), null, {
        failOn: 'error',
        statusUnread,
        allowUnchecked: true,
      });
      expect(allowed).toMatchObject({ code: 0, reason: 'unchecked-allowed' });
      // Findings still exit 1 over it.
      expect(
        decideExit(readOnlyContactsDiagnosis(), null, { failOn: 'error', statusUnread }),
      ).toMatchObject({ code: 1, reason: 'findings' });
    },
  );
});
