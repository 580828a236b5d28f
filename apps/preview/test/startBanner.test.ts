import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { dataStorageFull, startBanner } from '../src/demo/startBanner.js';

// The sentence above the `sync-doctor check` line says what the CLI will show. In an org whose data
// storage is full (storage-full), Salesforce refuses to create the status record the relay writes,
// so the CLI cannot show the suspension there: the banner says what it shows instead.
describe('the sentence above the CLI line of npm start', () => {
  const sims: OrgSimulator[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.close()));
  });

  async function bannerFor(fixture: 'storage-full' | 'healthy') {
    const sim = await startOrgSimulator({ fixture });
    sims.push(sim);
    return startBanner({
      url: 'http://127.0.0.1:3000',
      fixture,
      size: 'default',
      variants: [],
      portalId: '4242',
      signingSecret: 'demo-signing-secret',
      org: {
        instanceUrl: sim.url,
        accessToken: sim.accessToken,
        integrationUsername: sim.integrationUser.Username,
        dataStorageFull: dataStorageFull(sim),
      },
    });
  }

  test('an org whose data storage is full: the relay cannot write the status, the CLI shows the storage finding', async () => {
    const banner = await bannerFor('storage-full');
    expect(banner).toContain('its data storage is full, so the relay cannot write the status');
    expect(banner).toContain('Salesforce org storage limits exceeded');
    expect(banner).not.toContain('it shows the suspension');
  });

  test('any other org: the CLI shows the suspension under "HubSpot reported"', async () => {
    const banner = await bannerFor('healthy');
    expect(banner).toContain('it shows the suspension under "HubSpot reported"');
    expect(banner).not.toContain('data storage is full');
  });

  test("says the page's button sends a Sync Health export too (its CSV is no pasteable curl line)", async () => {
    const banner = await bannerFor('healthy');
    expect(banner).toContain(
      'The page\'s "Send a demo suspension from HubSpot" button sends the same, then a small Sync Health "Export errors" CSV of this story (signed the same way, to http://127.0.0.1:3000/v1/portals/4242/sync-errors)',
    );
  });
});
