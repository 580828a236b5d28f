/**
 * What HubSpot reported, through the CLI as a child process against the simulator: the relay's
 * own writer (publishStatus) puts the status records into the org first.
 */
import {
  LOGINS_NOT_READ_MESSAGE,
  relayedVerdictSentence,
  type RelayedStatus,
} from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { connect, publishStatus } from '@sync-doctor/salesforce';
import { checkArgs, cli } from './cliProcess.js';
import { expectValidCheckJson } from './checkJsonValidator.js';

const suspended: RelayedStatus = {
  portalId: '4411223',
  state: 'suspended',
  reason: 'OBJECT_PERMISSIONS_MISSING',
  title: 'Salesforce object permissions missing',
  since: '2026-11-28T08:00:00.000Z',
  lastSeenAt: '2026-11-28T09:00:00.000Z',
  clearedAt: null,
  source: 'email',
  excerpt: null,
  history: [],
};
const cleared: RelayedStatus = {
  ...suspended,
  portalId: '998877',
  state: 'cleared',
  reason: null,
  title: null,
  clearedAt: '2026-11-28T10:00:00.000Z',
  source: 'manual',
};

let sim: OrgSimulator;
beforeEach(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
});
afterEach(() => sim.close());

const args = () => checkArgs(sim);
async function publish(...statuses: RelayedStatus[]) {
  const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
  for (const status of statuses) await publishStatus(conn, status);
}

describe('check: HubSpot reported', () => {
  it('shows a suspension right under the verdict, each step marked against the diagnosis', async () => {
    await publish(suspended);
    const run = await cli(args());
    expect(run.code).toBe(1);
    const out = run.stdout;
    const section = out.indexOf('HubSpot reported');
    expect(section).toBeGreaterThan(out.indexOf('Verdict: BLOCKED'));
    expect(section).toBeLessThan(out.indexOf('Objects'));
    expect(out).toContain('SUSPENDED  Salesforce object permissions missing');
    // In the core's minute, as the Logins section and the findings give their times.
    expect(out).toContain('since 2026-11-28 08:00 UTC');
    expect(out).toContain('last seen 2026-11-28 09:00 UTC');
    expect(out).not.toContain('2026-11-28T08:00:00.000Z');
    expect(out.replace(/\s+/g, ' ')).toContain('reported by email');
    expect(out).toMatch(/HubSpot_Sync_Status__c, HubSpot portal 4411223 \(the only record\)/);
    expect(out).toMatch(/\[to do\]/);
    expect(out).toMatch(/\[not checked\]|\[done\]/);
    expect(out).toContain('Sync Doctor: ');
  });

  it('marks a step whose cause Sync Doctor finds absent now as not the cause, not as unseen', async () => {
    // The org is below its daily API limit: no confirmation it was at it when HubSpot suspended.
    await publish({
      ...suspended,
      reason: 'API_LIMIT_EXCEEDED',
      title: 'Salesforce organization API limit exceeded',
    });
    const run = await cli(args());
    const steps = run.stdout.slice(run.stdout.indexOf('What to do, checked against'));
    expect(steps).toMatch(/ {2}1\. \[not the cause now\] /);
    expect(steps).toContain('Sync Doctor: Not the cause now: ');
    // The step's text lines up under its own mark, however long the mark is.
    const [first, second] = steps.split('\n').slice(1, 3);
    expect(second!.length - second!.trimStart().length).toBe(first!.indexOf('] ') + 2);
  });

  it("says under a healthy verdict the app's sentence on the suspension, pointing to this section", async () => {
    // The app words a healthy org's suspension by whether its cause is gone; the CLI said only
    // HEALTHY above SUSPENDED.
    const healthy = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    try {
      const conn = await connect({ instanceUrl: healthy.url, accessToken: healthy.accessToken });
      await publishStatus(conn, { ...suspended, reason: 'STORAGE_LIMIT_EXCEEDED', title: null });
      await publishStatus(conn, {
        ...suspended,
        portalId: '5566778',
        state: 'suspected',
        reason: 'ORG_LOCKED',
        title: null,
      });
      // The app's badge label, not HEALTHY: 'Access OK, sync suspended' (or 'Access OK' when suspected).
      const verdictOf = async (portal: string, label: string) => {
        const out = (await cli([...checkArgs(healthy), '--portal', portal])).stdout;
        expect(out).not.toContain('Verdict: HEALTHY');
        const verdict = out.indexOf(`Verdict: ${label}  `);
        expect(verdict).toBeGreaterThanOrEqual(0);
        // The verdict's block: from its line to the section it points to.
        return out
          .slice(verdict, out.indexOf('\nHubSpot reported\n'))
          .split('\n')
          .slice(1)
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim();
      };
      expect(await verdictOf('4411223', 'ACCESS OK, SYNC SUSPENDED')).toBe(
        relayedVerdictSentence('fixed-since', 'Salesforce org storage limits exceeded', {
          reported: true,
          section: 'HubSpot reported',
        }),
      );
      expect(await verdictOf('5566778', 'ACCESS OK')).toBe(
        'The integration user has everything HubSpot needs, but HubSpot may have suspended the sync for "Salesforce org locked", which is outside what Sync Doctor checks. "HubSpot reported" below says what to check.',
      );
    } finally {
      await healthy.close();
    }
  });

  it('says when the relay reported nothing', async () => {
    const run = await cli(args());
    expect(run.stdout).toMatch(
      /HubSpot reported\n {2}No suspension has been relayed for any HubSpot portal\. Sync Doctor/,
    );
  });

  it('--portal picks among two; without it the most recently updated, naming the other', async () => {
    await publish(suspended, cleared);
    const picked = await cli([...args(), '--portal', '4411223']);
    expect(picked.stdout).toContain('HubSpot portal 4411223 (chosen with --portal)');
    expect(picked.stdout).toContain('SUSPENDED');
    const other = await cli([...args(), '--portal', '998877']);
    expect(other.stdout).toContain('HubSpot portal 998877 (chosen with --portal)');
    expect(other.stdout).toContain('CLEARED');
    const unnamed = await cli(args());
    expect(unnamed.stdout.replace(/\s+/g, ' ')).toMatch(
      /the most recently updated of 2; others: 4411223; pick one with --portal/,
    );
    const bad = await cli([...args(), '--portal', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--portal takes a HubSpot portal id');
  });

  it('--json keeps the diagnosis keys and adds hubspotReported with the step check; --report shows it', async () => {
    await publish(suspended);
    const json = JSON.parse((await cli([...args(), '--json'])).stdout);
    expect(json).toMatchObject({ verdict: 'blocked', findings: expect.any(Array) });
    expect(json.hubspotReported).toMatchObject({
      status: { portalId: '4411223', state: 'suspended', reason: 'OBJECT_PERMISSIONS_MISSING' },
      otherPortals: [],
      check: { reason: 'OBJECT_PERMISSIONS_MISSING', agreement: expect.any(String) },
    });
    expect(json.hubspotReported.check.steps[0]).toMatchObject({
      status: expect.stringMatching(/^(done|todo|unknown)$/),
      evidence: expect.any(String),
    });
    // The suspension's step check as the schema a pipeline pins describes it.
    expectValidCheckJson(json);
    const report = await cli([...args(), '--report']);
    expect(report.stdout).toContain('HubSpot suspension status (relayed)');
  });
});

describe('check --report: Login History', () => {
  it('prints the logins when read, and why not when the admin may not read them', async () => {
    const read = await cli([...args(), '--report']);
    expect(read.stdout).toContain('Logins, last 7 days');
    // The session's admin loses Manage Users: Salesforce would answer its own logins only.
    for (const set of sim.records('PermissionSet'))
      if (set.PermissionsManageUsers === true) set.PermissionsManageUsers = false;
    const notRead = await cli([...args(), '--report']);
    expect(notRead.stdout).not.toContain('Logins, last 7 days');
    expect(notRead.stdout).toContain(`Logins\n------\n${LOGINS_NOT_READ_MESSAGE}`);
  });
});
