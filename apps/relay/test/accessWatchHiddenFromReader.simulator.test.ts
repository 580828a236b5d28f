import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { admin, tempDir, testConfig, waitFor } from './helpers.js';
import { assignToRelayUser, createConnectedPortal, jwtApp, jwtConnection } from './orgDelivery.js';
import { signalsConfig } from './signalsHelpers.js';

// The access watch connected as the relay's own Salesforce user, set up as the README says (API
// Enabled, Sync_Doctor_Relay and Sync_Doctor_Relay_Access_Watch): that user may not read Contact,
// Lead, Account, Opportunity or Campaign, and Salesforce answers their describes with NOT_FOUND as
// for objects that do not exist. On a healthy org the watch must not call them missing and alert
// `sync-doctor.access.worse`; it warns that it could not check them, which alerts nothing.

const jwt = jwtApp('3MVG9access.watch.hidden.key');
const HOUR = 3_600_000;

describe('access watch read by the relay user', () => {
  let sim: OrgSimulator;
  let server: Server;
  let hookUrl = '';
  const received: string[] = [];

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await sim.close();
  });

  /** The relay user's View Setup, as the README asks: the package's Sync_Doctor_Relay_Access_Watch. */
  const grantAccessWatch = () => assignToRelayUser(sim, 'Sync_Doctor_Relay_Access_Watch');

  const start = async (dataDir: string): Promise<FastifyInstance> => {
    const app = await buildApp(
      testConfig(dataDir, {
        secretKey: randomBytes(32),
        signals: signalsConfig({
          accessWatch: { enabled: true, intervalMs: HOUR },
          alerts: { pollIntervalMs: 20 },
        }),
      }),
    );
    await app.ready();
    return app;
  };

  const alertsSettled = async (app: FastifyInstance, portalId: string) => {
    await app.alerts!.runOnce();
    const page = await app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/alerts`,
      headers: admin,
    });
    return (page.json().items as { status: string }[]).every((a) => a.status === 'sent');
  };

  it('judges a healthy org without a worse alert, warning what the relay user could not check; a real loss still alerts', async () => {
    sim.useFixture('healthy');
    grantAccessWatch();
    const dir = tempDir();
    const app = await start(dir.path);
    try {
      await createConnectedPortal(app, '8300', {
        ...jwtConnection(jwt, sim, sim.relayUser.Username),
        integrationUser: sim.integrationUser.Username,
      });
      const target = await app.inject({
        method: 'POST',
        url: '/v1/admin/portals/8300/alert-targets',
        headers: admin,
        payload: { kind: 'webhook', id: 'ops', url: hookUrl, secret: 'whsec-hidden-0123456789' },
      });
      expect(target.statusCode).toBe(201);

      const healthy = await app.accessWatch!.checkNow('8300');
      expect(healthy).toMatchObject({ verdict: 'at-risk', error: null });
      const findings = healthy!.findings as {
        severity: string;
        subject: string;
        rule: string | null;
        message: string;
      }[];
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(findings.map((f) => f.message).join('\n')).not.toContain('does not exist');
      expect(findings).toEqual(
        expect.arrayContaining(
          ['Contact', 'Lead', 'Account', 'Opportunity', 'Campaign'].map((subject) =>
            expect.objectContaining({
              severity: 'warning',
              subject,
              rule: 'section-absent',
              message: expect.stringContaining(`'${sim.relayUser.Username}'`),
            }),
          ),
        ),
      );
      await waitFor(() => alertsSettled(app, '8300'), 10_000, 'alerts settled');
      expect(received).toHaveLength(0);

      // Edit on Contact taken from the HubSpot permission set: the relay user still tells.
      sim.useFixture('read-only-contacts');
      grantAccessWatch();
      const worse = await app.accessWatch!.checkNow('8300');
      expect(worse!.verdict).toBe('blocked');
      await waitFor(() => received.length === 1, 10_000, 'the access alert');
      const alert = JSON.parse(received[0]!) as {
        type: string;
        findings: { severity: string; subject: string; rule: string }[];
      };
      expect(alert.type).toBe('sync-doctor.access.worse');
      // The one error alerts; the warnings of what the relay user could not check ride along, not new.
      expect(alert.findings.filter((f) => f.severity === 'error')).toEqual([
        expect.objectContaining({ subject: 'Contact', rule: 'object-permissions', new: true }),
      ]);
    } finally {
      await app.close();
      dir.remove();
    }
  });
});
