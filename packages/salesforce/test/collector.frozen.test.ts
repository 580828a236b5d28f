/**
 * A frozen integration user (Setup > Users > Freeze: UserLogin.IsFrozen) stays active but cannot
 * log in, so HubSpot's sync is suspended. The collector reads the flag as the app's Apex reader
 * does (SyncDoctorSnapshotReader.withFrozenFlag) into snapshot.user.IsFrozen, within the same 3
 * requests; a reader without "Manage Users" (UserLogin is INVALID_TYPE to it) leaves the flag out,
 * unknown rather than "not frozen", and the result says why.
 */
import {
  DEFAULT_REQUIREMENTS,
  FROZEN_NOT_READ_MESSAGES,
  evaluateAccess,
  formatReport,
  uncheckedSentence,
  validateSnapshot,
} from '@sync-doctor/core';
import type { startOrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { withSimulator } from './simulator.js';

type Options = NonNullable<Parameters<typeof startOrgSimulator>[0]>;

const FROZEN: Options['changes'] = [{ op: 'freezeUser', user: 'integration' }];
/** The admin the simulator's token reads as, without Manage Users (its other rights kept). */
const NO_MANAGE_USERS: NonNullable<Options['changes']> = [
  {
    op: 'setSystemPermission',
    profile: 'System Administrator',
    permission: 'PermissionsManageUsers',
    value: false,
  },
];

const frozenFindings = (snapshot: Parameters<typeof evaluateAccess>[0]) =>
  evaluateAccess(snapshot, DEFAULT_REQUIREMENTS).findings.filter((f) => f.rule === 'frozen-user');

describe('collectSnapshot reads whether the integration user is frozen', () => {
  it('a frozen user: IsFrozen true and the frozen-user finding, in the same 3 requests and 1 round', async () => {
    await withSimulator({ fixture: 'healthy', changes: FROZEN }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      for (const user of [sim.integrationUser.Username, sim.integrationUser.Id]) {
        const result = await collectSnapshot(conn, { user });
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        expect(result.snapshot.user).toMatchObject({ Id: sim.integrationUser.Id, IsFrozen: true });
        expect(result.frozen).toEqual({ read: true, frozen: true });
        expect(result.snapshot.frozenRead).toEqual(result.frozen);
        expect([result.requests, result.rounds]).toEqual([3, 1]);
        expect(frozenFindings(result.snapshot)).toEqual([
          expect.objectContaining({
            severity: 'error',
            reason: 'API_ACCESS_DISABLED',
            subject: sim.integrationUser.Username,
          }),
        ]);
        expect(evaluateAccess(result.snapshot).verdict).toBe('blocked');
        // The other optional sections are read beside it as before.
        expect(result.loginHistory).toMatchObject({ read: true });
        expect(result.connectedApps).toMatchObject({ read: true });
      }
    });
  });

  it('a user not frozen: IsFrozen false (read, not guessed) and no finding', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.snapshot.user).toMatchObject({ IsFrozen: false });
      expect(result.frozen).toEqual({ read: true, frozen: false });
      expect(frozenFindings(result.snapshot)).toEqual([]);
      expect(evaluateAccess(result.snapshot).verdict).toBe('healthy');
      expect([result.requests, result.rounds]).toEqual([3, 1]);
    });
  });

  it('unfreezing clears it: the flag follows the org', async () => {
    await withSimulator(
      {
        fixture: 'healthy',
        changes: [
          { op: 'freezeUser', user: 'integration' },
          { op: 'freezeUser', user: 'integration', frozen: false },
        ],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(snapshot.user?.IsFrozen).toBe(false);
      },
    );
  });

  it('a reader without "Manage Users": not read, left out of the snapshot (unknown, never "not frozen"), no finding, still 3 requests', async () => {
    await withSimulator(
      { fixture: 'healthy', changes: [...FROZEN!, ...NO_MANAGE_USERS] },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        for (const user of [sim.integrationUser.Username, sim.integrationUser.Id]) {
          const result = await collectSnapshot(conn, { user });
          expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
          expect(result.snapshot.user).not.toHaveProperty('IsFrozen');
          expect(result.frozen).toMatchObject({
            read: false,
            cause: 'needs-manage-users',
            errorCode: 'INVALID_TYPE',
            message: expect.stringContaining('"Manage Users"'),
          });
          expect(frozenFindings(result.snapshot)).toEqual([]);
          expect(result.snapshot.frozenRead).toEqual(result.frozen);
          // Each with the rights that read it (Manage Users reads both).
          expect(uncheckedSentence(evaluateAccess(result.snapshot).unchecked)).toBe(
            'Not checked: frozen state and Login History. Check them by hand, or ask an admin who has these to check again: frozen state: "Manage Users"; Login History: "Manage Users" or "Monitor Login History".',
          );
          expect([result.requests, result.rounds]).toEqual([3, 1]);
          // Login History needs Manage Users too; the connected app does not (Customize
          // Application and Modify All Data), and is read whatever UserLogin answered.
          expect(result.loginHistory).toMatchObject({ read: false, cause: 'needs-manage-users' });
          expect(result.connectedApps).toMatchObject({ read: true });
        }
      },
    );
  });

  it('no UserLogin row for the user: not read, cause no-user-login as the Apex reader says it, never a Manage Users to get', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const row = sim.org
        .table('UserLogin')
        .find((r) => String(r.UserId).startsWith(sim.integrationUser.Id.slice(0, 15)));
      expect(sim.org.delete(row!.Id)).toBe(true);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      for (const user of [sim.integrationUser.Username, sim.integrationUser.Id]) {
        const result = await collectSnapshot(conn, { user });
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        expect(result.snapshot.user).not.toHaveProperty('IsFrozen');
        expect(result.frozen).toEqual({
          read: false,
          cause: 'no-user-login',
          message: FROZEN_NOT_READ_MESSAGES['no-user-login'],
        });
        expect(result.frozen).not.toHaveProperty('errorCode');
        expect(frozenFindings(result.snapshot)).toEqual([]);
        // The report says it in the same words as the app's copied report.
        const report = formatReport(evaluateAccess(result.snapshot), {
          snapshot: result.snapshot,
          frozenRead: result.frozen,
        });
        expect(report).toContain('Salesforce has no UserLogin row for it.');
        expect(report).not.toContain('Manage Users');
        // The snapshot carries it as the Apex reader's does, so the diagnosis alone (the CLI's
        // verdict, the relay, a report given no frozenRead) asks for no right either.
        expect(result.snapshot.frozenRead).toEqual(result.frozen);
        const diagnosis = evaluateAccess(result.snapshot);
        expect(diagnosis.unchecked).toEqual([
          expect.objectContaining({ check: 'frozen', needs: '' }),
        ]);
        expect(uncheckedSentence(diagnosis.unchecked)).toBe(
          'Not checked: frozen state. Check it by hand.',
        );
        expect(formatReport(diagnosis, { snapshot: result.snapshot })).not.toContain(
          'Manage Users',
        );
      }
    });
  });

  it('with "Monitor Login History" instead of "Manage Users": logins read, frozen state not, still 3 requests', async () => {
    await withSimulator(
      {
        fixture: 'healthy',
        changes: [
          ...NO_MANAGE_USERS,
          {
            op: 'setSystemPermission',
            profile: 'System Administrator',
            permission: 'PermissionsMonitorLoginHistory',
            value: true,
          },
        ],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(result.loginHistory).toMatchObject({ read: true });
        expect(result.snapshot.logins!.length).toBeGreaterThan(0);
        expect(result.snapshot.user).not.toHaveProperty('IsFrozen');
        expect(result.frozen).toMatchObject({ read: false, cause: 'needs-manage-users' });
        expect(result.requests).toBe(3);
      },
    );
  });

  it('without both optional sections no composite carries it: the budget stays at 2', async () => {
    await withSimulator({ fixture: 'healthy', changes: FROZEN }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        loginHistory: false,
        connectedApps: false,
      });
      expect(result.requests).toBe(2);
      expect(result.frozen).toBeUndefined();
      expect(result.snapshot.user).not.toHaveProperty('IsFrozen');
    });
  });

  it('a semi-join on the username that Salesforce refuses on LoginHistory is asked again by the user id: logins still read, one request more', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      // The Object Reference documents LoginHistory's filters one by one and never a semi-join:
      // here the org refuses it, as the composite would answer a refused query.
      const request = conn.request.bind(conn);
      const sent: string[] = [];
      (conn as { request: unknown }).request = async (
        req: { url: string; body?: string },
        options: unknown,
      ) => {
        sent.push(req.url);
        const answer = (await request(req as never, options as never)) as {
          compositeResponse?: { referenceId: string; httpStatusCode: number; body: unknown }[];
        };
        const subs = req.body
          ? (JSON.parse(req.body) as { compositeRequest?: { referenceId: string; url: string }[] })
              .compositeRequest
          : undefined;
        for (const sub of answer?.compositeResponse ?? []) {
          const asked = subs?.find((s) => s.referenceId === sub.referenceId);
          if (
            asked &&
            /FROM\+LoginHistory.*IN\+\(SELECT/i.test(
              decodeURIComponent(asked.url).replace(/ /g, '+'),
            )
          ) {
            sub.httpStatusCode = 400;
            sub.body = [
              {
                errorCode: 'MALFORMED_QUERY',
                message: 'semi join sub-selects are not supported here',
              },
            ];
          }
        }
        return answer;
      };
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.loginHistory).toMatchObject({ read: true });
      expect(result.snapshot.logins?.length).toBeGreaterThan(0);
      expect(result.snapshot.logins).toEqual(
        (await collectSnapshot(conn, { user: sim.integrationUser.Id })).snapshot.logins,
      );
      // The one request of its own: the retry by id (the composites' queries travel in their bodies).
      const queries = sent.map((url) => new URL(url, sim.url).searchParams.get('q') ?? '');
      expect(queries.filter((q) => q.includes('FROM LoginHistory'))).toEqual([
        expect.stringContaining(`WHERE UserId = '${sim.integrationUser.Id}' AND`),
      ]);
      expect([result.requests, result.rounds]).toEqual([4, 2]);
      expect(result.frozen).toMatchObject({ read: true });
    });
  });
});
