import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { admin } from './helpers.js';
import { assignToRelayUser, jwtApp, jwtConnection } from './orgDelivery.js';
import { withAccessWatchRelay } from './signalsHelpers.js';

// The access watch, connected as the relay's own user set up as the README says (Sync_Doctor_Relay
// and Sync_Doctor_Relay_Access_Watch), on a portal that names no integration user: the admin's
// choice saved in Sync Doctor's settings (a custom setting) must decide who is checked. An org
// restricting custom settings (the simulator does, as orgs do by default) hides the setting from a
// user whose permission sets do not grant it; the watch then reads "nothing saved" and checks
// whoever else the evidence points to, with no error to say so.
//
// The relay's user has no "Customize Application" (nor should it), so Salesforce shows it only its
// own OAuth tokens (Object Reference, OauthToken, "Special Access Rules"): token evidence is left
// out, and the check says so, rather than ranking on the part it happens to see.

const jwt = jwtApp('3MVG9access.watch.saved.key');

describe("access watch: the admin's saved integration user, read by the relay user", () => {
  let sim: OrgSimulator;

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
  });
  afterAll(() => sim.close());

  const userId = (username: string) =>
    String(sim.records('User').find((u) => u.Username === username)!.Id);

  it('checks the saved user, whom the evidence alone would not pick, and says the tokens were no evidence', async () => {
    sim.useFixture('healthy');
    assignToRelayUser(sim, 'Sync_Doctor_Relay_Access_Watch');
    // HubSpot's integration user and Sam Sales both hold HubSpot's permission set (and a HubSpot
    // token each, which the relay's user cannot see): a tie, until the admin's saved choice names Sam.
    const hubSpotSet = sim
      .records('PermissionSet')
      .find((set) => set.Name === 'HubSpot_Integration_Permissions')!;
    sim.org.insert(
      'PermissionSetAssignment',
      {
        AssigneeId: userId('sam.sales@acme.example'),
        PermissionSetId: String(hubSpotSet.Id),
        PermissionSetGroupId: null,
        ExpirationDate: null,
        IsActive: true,
      },
      '',
    );
    sim.org.insert('Sync_Doctor_Settings__c', {
      Name: 'Default',
      SetupOwnerId: String(sim.records('Organization')[0]!.Id),
      Integration_User_Id__c: userId('sam.sales@acme.example'),
    });

    await withAccessWatchRelay(async (app) => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: {
          id: '8310',
          salesforce: jwtConnection(jwt, sim, sim.relayUser.Username),
        },
      });
      expect(created.statusCode).toBe(201);

      const check = await app.accessWatch!.checkNow('8310');
      expect(check).toMatchObject({
        error: null,
        integrationUser: {
          id: userId('sam.sales@acme.example'),
          username: 'sam.sales@acme.example',
        },
      });
      // The token evidence is reported unread, as a warning (warnings alert nobody).
      expect(check!.findings.filter((f) => f.subject === 'OauthToken')).toEqual([
        {
          severity: 'warning',
          reason: 'INTEGRATION_USER_EVIDENCE_UNREAD',
          rule: null,
          subject: 'OauthToken',
          message: `sam.sales@acme.example was chosen as HubSpot's integration user on the other evidence: HubSpot's OAuth tokens were no evidence: the relay's Salesforce user ${sim.relayUser.Username} lacks "Customize Application", without which Salesforce shows it only its own tokens.`,
          remedy: expect.stringContaining('Set integrationUser'),
        },
      ]);
      const view = await app.inject({
        method: 'GET',
        url: '/v1/portals/8310/access',
        headers: admin,
      });
      expect(view.json().findings).toContainEqual(
        expect.objectContaining({ severity: 'warning', subject: 'OauthToken' }),
      );
    });
  });
});
