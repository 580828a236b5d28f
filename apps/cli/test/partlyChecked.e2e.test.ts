/**
 * An admin without Manage Users, Monitor Login History and Customize Application cannot read the
 * integration user's frozen state, its Login History nor HubSpot's connected app: no finding about
 * them is then no all-clear. The verdict stays "healthy" (judged from the findings), but the human
 * output says "partly checked" and what, --json lists `unchecked`, and the run exits 3: it cannot
 * vouch for the org (exitCodes.e2e.test.ts).
 */
import {
  startOrgSimulator,
  type FixtureChange,
  type OrgSimulator,
} from '@sync-doctor/org-simulator';
import {
  partlyCheckedVerdictLabel,
  partlyCheckedVerdictSentence,
  type Diagnosis,
} from '@sync-doctor/core';
import { connect, publishStatus } from '@sync-doctor/salesforce';
import { checkArgs, cli, NO_MANAGE_USERS } from './cliProcess.js';
import { relayedStatus } from './support.js';
import { expectValidCheckJson, validateCheckJson } from './checkJsonValidator.js';

const NO_CUSTOMIZE_APPLICATION: FixtureChange = {
  op: 'setSystemPermission',
  profile: 'System Administrator',
  permission: 'PermissionsCustomizeApplication',
  value: false,
};

let sim: OrgSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('check, when the reader could not make every check', () => {
  it('says "PARTLY CHECKED", never HEALTHY, naming what was not read and who can read it', async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      port: 0,
      changes: [NO_MANAGE_USERS, NO_CUSTOMIZE_APPLICATION],
    });
    const run = await cli(checkArgs(sim));
    // 80 columns when piped: the lines wrap, the words stay.
    const words = run.stdout.replace(/\s+/g, ' ');
    expect(words).toContain(
      "Verdict: PARTLY CHECKED (frozen state, Login History and HubSpot's connected app not read) 0 errors, 0 warnings, 0 notes No problems found in what Sync Doctor could read.",
    );
    expect(words).toContain(
      'Not checked: frozen state, Login History and HubSpot\'s connected app. Check them by hand, or ask an admin who has these to check again: frozen state: "Manage Users"',
    );
    // Under Findings too, no all-clear: the app's Findings card's words.
    expect(words).toContain('Findings (0) No problems found in what Sync Doctor could read.');
    expect(words).not.toContain('Findings (0) No problems found. ');
    // No finding, but not every check made: 3, not the all-clear 0.
    expect(run.code).toBe(3);

    const json = JSON.parse((await cli([...checkArgs(sim), '--json'])).stdout);
    expectValidCheckJson(json);
    expect(json.verdict).toBe('healthy');
    expect(json.unchecked.map((u: { check: string }) => u.check)).toEqual([
      'frozen',
      'loginHistory',
      'connectedApps',
    ]);
  });

  it("under HubSpot's suspension, reported or suspected, says the app's label and sentence, in --report too", async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      port: 0,
      changes: [NO_MANAGE_USERS, NO_CUSTOMIZE_APPLICATION],
    });
    const suspended = relayedStatus();
    const suspected = relayedStatus({ portalId: '5566778', state: 'suspected' });
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    for (const status of [suspended, suspected]) await publishStatus(conn, status);
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    for (const status of [suspended, suspected]) {
      const portal = ['--portal', status.portalId];
      const json = JSON.parse((await cli([...checkArgs(sim), ...portal, '--json'])).stdout);
      const d = json as Diagnosis;
      expect(d.verdict).toBe('healthy');
      // The core's words, which the app's badge and verdict say.
      const label = partlyCheckedVerdictLabel(d, status)!.toUpperCase();
      const sentence = partlyCheckedVerdictSentence(d, status)!;
      expect(label).toBe(
        status.state === 'suspended' ? 'PARTLY CHECKED, SYNC SUSPENDED' : 'PARTLY CHECKED',
      );
      expect(sentence).toContain(
        status.state === 'suspended' ? 'but HubSpot suspended the sync' : 'but HubSpot may have',
      );
      const human = flat((await cli([...checkArgs(sim), ...portal])).stdout);
      expect(human).toContain(
        `Verdict: ${label} (frozen state, Login History and HubSpot's connected app not read) 0 errors, 0 warnings, 0 notes ${sentence} Not checked:`,
      );
      const report = flat((await cli([...checkArgs(sim), ...portal, '--report'])).stdout);
      expect(report).toContain(
        `Verdict: ${label} (frozen state, Login History and HubSpot's connected app not read) Findings: 0 findings block the sync, 0 risks, 0 notes ${sentence} Check them by hand`,
      );
      for (const text of [human, report]) {
        expect(text).not.toContain('HEALTHY');
        expect(text).not.toContain('ACCESS OK');
      }
      // The reason's steps pass, but unread checks are no "fixed": the section asks for them by
      // hand once (the "Clear Suspension" step points to it), as the app's panel does.
      expect(json.hubspotReported.check.agreement).toBe('partly-checked');
      const sections = [
        human.slice(human.indexOf('HubSpot reported'), human.indexOf('Objects')),
        report.slice(
          report.indexOf('HubSpot suspension status (relayed)'),
          report.indexOf('Findings ('),
        ),
      ];
      for (const section of sections) {
        expect(section).not.toMatch(/Fixed since|fixed now/i);
        expect(section.match(/check by hand/gi)).toHaveLength(1);
        expect(section).toContain(
          "Before you clear the suspension in HubSpot, check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app), or HubSpot may suspend the sync again.",
        );
        expect(section).toContain('some it could not make, and they come first (below)');
      }
    }
  });

  it('says a plain HEALTHY, without `unchecked`, when every part was read', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    const run = await cli(checkArgs(sim));
    expect(run.stdout).toMatch(/^Verdict: HEALTHY {2}/m);
    expect(run.stdout).not.toMatch(/partly checked/i);
    const json = JSON.parse((await cli([...checkArgs(sim), '--json'])).stdout);
    expect(json.unchecked).toBeUndefined();
  });

  it('the schema refuses a check it does not list', () => {
    const bad = {
      schemaVersion: 1,
      verdict: 'healthy',
      findings: [],
      objects: [],
      fields: [],
      limits: [],
      hubspotReported: null,
      frozen: null,
      loginHistory: null,
      connectedApps: null,
      unchecked: [{ check: 'sharing', label: 'x', line: 'x', byHand: 'x', needs: 'x' }],
    };
    expect(validateCheckJson(bad)).toBe(false);
  });
});
