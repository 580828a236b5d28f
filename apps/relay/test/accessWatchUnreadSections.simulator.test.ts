import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { admin } from './helpers.js';
import { assignToRelayUser, jwtApp, jwtConnection } from './orgDelivery.js';
import { withAccessWatchRelay } from './signalsHelpers.js';

// The access watch, connected as the relay's own user set up as the README says (Sync_Doctor_Relay
// and Sync_Doctor_Relay_Access_Watch: View Setup, but not Manage Users, Monitor Login History or
// Customize Application). That user never reads whether the integration user is frozen, its Login
// History or HubSpot's connected app: the check must say so, or "no error finding" reads as "all
// clear" for three things nobody checked.

const jwt = jwtApp('3MVG9access.watch.unread.key');

describe('access watch: the sections the README relay user cannot read', () => {
  let sim: OrgSimulator;

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
  });
  afterAll(() => sim.close());

  it('reports the frozen state, Login History and the connected app as not checked, as warnings', async () => {
    sim.useFixture('healthy');
    assignToRelayUser(sim, 'Sync_Doctor_Relay_Access_Watch');
    await withAccessWatchRelay(async (app) => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: {
          id: '8320',
          salesforce: {
            ...jwtConnection(jwt, sim, sim.relayUser.Username),
            integrationUser: sim.integrationUser.Username,
          },
        },
      });
      expect(created.statusCode).toBe(201);

      const check = await app.accessWatch!.checkNow('8320');
      expect(check).toMatchObject({ error: null });
      const unread = (check!.findings ?? []).filter((f) => f.reason === 'ACCESS_SECTION_UNREAD');
      expect(unread.map((f) => f.subject).sort()).toEqual([
        'ConnectedApplication',
        'LoginHistory',
        'UserLogin.IsFrozen',
      ]);
      for (const f of unread) {
        expect(f).toMatchObject({ severity: 'warning', rule: null });
        expect(f.message).toMatch(/^Not checked: /);
        expect(f.message).toContain(sim.relayUser.Username);
      }
      expect(unread.find((f) => f.subject === 'UserLogin.IsFrozen')!.message).toContain(
        '"Manage Users"',
      );
      // None is an error: the watch alerts on errors only.
      expect(check!.findings.filter((f) => f.severity === 'error')).toEqual([]);

      const view = await app.inject({
        method: 'GET',
        url: '/v1/portals/8320/access',
        headers: admin,
      });
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({ error: null });
      expect(
        (view.json().findings as { reason: string; subject: string }[])
          .filter((f) => f.reason === 'ACCESS_SECTION_UNREAD')
          .map((f) => f.subject)
          .sort(),
      ).toEqual(['ConnectedApplication', 'LoginHistory', 'UserLogin.IsFrozen']);
      // The route's OpenAPI says what those warnings mean.
      const spec = await app.inject({ method: 'GET', url: '/docs/json' });
      const documented = JSON.stringify(
        spec.json().paths['/v1/portals/{portalId}/access'].get.responses['200'],
      );
      for (const word of ['ACCESS_SECTION_UNREAD', 'UserLogin.IsFrozen', 'LoginHistory'])
        expect(documented).toContain(word);
    });
  });

  it('/health and /metrics count the portals whose checks leave sections unread, and stay ready', async () => {
    sim.useFixture('healthy');
    assignToRelayUser(sim, 'Sync_Doctor_Relay_Access_Watch');
    await withAccessWatchRelay(async (app) => {
      const connection = {
        ...jwtConnection(jwt, sim, sim.relayUser.Username),
        integrationUser: sim.integrationUser.Username,
      };
      for (const id of ['8330', '8331']) {
        const created = await app.inject({
          method: 'POST',
          url: '/v1/admin/portals',
          headers: admin,
          payload: { id, salesforce: connection },
        });
        expect(created.statusCode).toBe(201);
      }
      // Before any check: nothing is partial.
      const before = await app.inject({ method: 'GET', url: '/health' });
      expect(before.json().signals.accessWatch).toEqual({
        running: true,
        failing: 0,
        partial: 0,
        unreadSections: {},
      });

      for (const id of ['8330', '8331'])
        expect(await app.accessWatch!.checkNow(id)).toMatchObject({ error: null });
      const all = { ConnectedApplication: 2, LoginHistory: 2, 'UserLogin.IsFrozen': 2 };
      // Without the admin token: counts only, and still ready (these sections are expected unread).
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok' });
      expect(health.json().signals).toEqual({
        accessWatch: { running: true, failing: 0, partial: 2, unreadSections: all },
      });
      // A partial check is no failure: the admin's view lists no portal as failing.
      const asAdmin = await app.inject({ method: 'GET', url: '/health', headers: admin });
      expect(asAdmin.json().signals).toEqual({
        accessWatch: { running: true, failing: 0, partial: 2, unreadSections: all },
        failing: {},
      });
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^relay_access_checks_partial 2$/m);
      expect(metrics.body).toMatch(/^relay_access_checks_failing 0$/m);
      for (const section of Object.keys(all))
        expect(metrics.body).toContain(`relay_access_sections_unread{section="${section}"} 2`);

      // A deleted portal is counted no more.
      const removed = await app.inject({
        method: 'DELETE',
        url: '/v1/admin/portals/8331',
        headers: admin,
      });
      expect(removed.statusCode).toBe(204);
      const after = await app.inject({ method: 'GET', url: '/health' });
      expect(after.json().signals.accessWatch).toMatchObject({
        partial: 1,
        unreadSections: { ConnectedApplication: 1, LoginHistory: 1, 'UserLogin.IsFrozen': 1 },
      });
      const metricsAfter = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metricsAfter.body).toMatch(/^relay_access_checks_partial 1$/m);
      expect(metricsAfter.body).toContain('relay_access_sections_unread{section="LoginHistory"} 1');

      // The schema declares the new fields (the response serializer would drop them otherwise).
      const spec = await app.inject({ method: 'GET', url: '/docs/json' });
      const documented = JSON.stringify(spec.json().paths['/health'].get.responses['200']);
      for (const word of ['partial', 'unreadSections', 'ACCESS_SECTION_UNREAD'])
        expect(documented).toContain(word);
    });
  });
});
