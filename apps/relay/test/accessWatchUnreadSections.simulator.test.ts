import { randomBytes } from 'node:crypto';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { admin, tempDir, testConfig } from './helpers.js';
import { assignToRelayUser, jwtApp, jwtConnection } from './orgDelivery.js';
import { signalsConfig } from './signalsHelpers.js';

// The access watch, connected as the relay's own user set up as the README says (Sync_Doctor_Relay
// and Sync_Doctor_Relay_Access_Watch: View Setup, but not Manage Users, Monitor Login History or
// Customize Application). That user never reads whether the integration user is frozen, its Login
// History or HubSpot's connected app: the check must say so, or "no error finding" reads as "all
// clear" for three things nobody checked.

const jwt = jwtApp('3MVG9access.watch.unread.key');
const HOUR = 3_600_000;

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
    const dir = tempDir();
    let app: FastifyInstance | undefined;
    try {
      app = await buildApp(
        testConfig(dir.path, {
          secretKey: randomBytes(32),
          signals: signalsConfig({ accessWatch: { enabled: true, intervalMs: HOUR } }),
        }),
      );
      await app.ready();
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
    } finally {
      await app?.close();
      dir.remove();
    }
  });
});
