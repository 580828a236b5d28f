/**
 * Switching the demo org in the page's header.
 *
 * A switch of the demo org reloads the simulator's org from its fixture. The relay wrote the demo
 * portal's HubSpot_Sync_Status__c record into that org (what the Apex panel and `sync-doctor check`
 * read), so a switch, even of a variant on the same demo org, threw the relayed suspension away:
 * the CLI line npm start prints then said "No suspension has been relayed" beside an app that still
 * showed it. Each demo org now keeps its status record across switches, as a real org would.
 *
 * And the header says what is wrong with the demo org of the moment: a fixture's name alone
 * ("muted-group") told a first-time visitor nothing, and a variant changes the story. Its "Send a
 * demo suspension from HubSpot" shows the suspension panel without a terminal's curl lines.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_REQUIREMENTS, STATUS_OBJECT, SUSPENSION_REASONS } from '@sync-doctor/core';
import { collectSnapshot, connect } from '@sync-doctor/salesforce';
import { describeFixture } from '@sync-doctor/org-simulator';
import { demoPortalId } from '../src/demo/previewStack.js';
import { demoSyncErrorGroups } from '../src/demo/syncErrorsExport.js';
import { PREVIEW_VARIANTS } from '../src/demo/variants.js';
import { openApp, signedPost, useAppStack } from './support/appStack.js';
import { BUILD_TIMEOUT_MS } from './support/bundles.js';

const app = useAppStack();
let page: Page;

/** The org's status record of a portal, as `sync-doctor check --portal` reads it (collectSnapshot). */
async function relayedInOrg(portalId: string) {
  const { sim } = app.stack;
  const connection = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
  const { relayedStatus } = await collectSnapshot(connection, {
    user: sim.integrationUser.Username,
    requirements: DEFAULT_REQUIREMENTS,
    relayedStatus: { portalId },
  });
  return relayedStatus?.records.map((record) => record.status) ?? [];
}

/** The simulator's status rows now (the relay's outbox writes them within a few hundred ms). */
async function statusRowsOf(portalId: string, expected: number) {
  const rows = () =>
    app.stack.sim
      .records(STATUS_OBJECT.name)
      .filter((row) => row[STATUS_OBJECT.fields.portalId] === portalId);
  for (let tries = 0; tries < 50 && rows().length !== expected; tries++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return rows();
}

/** Ticks or unticks a header variant, or picks a demo org, and waits for the reloaded page. */
async function switchOnPage(action: () => Promise<unknown>): Promise<void> {
  const reloaded = page.waitForEvent('load', { timeout: 30_000 });
  await action();
  await reloaded;
  await page.waitForFunction(() => document.body.dataset.previewReady === 'true', undefined, {
    timeout: 60_000,
  });
  await page.locator('[data-id="verdict"]').waitFor({ timeout: 30_000 });
}

const suspended = () => page.locator('[data-id="suspension-current"][data-state="suspended"]');

beforeAll(async () => {
  const sent = await signedPost(app.stack, 'suspensions', {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    title: 'Salesforce object permissions missing',
    occurredAt: new Date().toISOString(),
    eventId: 'e2e-variant-switch-1',
  });
  expect(sent.status).toBe(202);
  expect(await statusRowsOf(app.stack.portalId, 1)).toHaveLength(1);
  page = await app.browser.newPage();
  await openApp(page, app.stack);
  await suspended().waitFor({ timeout: 10_000 });
}, BUILD_TIMEOUT_MS);

describe('a relayed suspension across switches of the demo org', () => {
  const portal = demoPortalId('read-only-contacts');

  test('ticking a variant on the same demo org keeps its status record: the app and the CLI still show the suspension', async () => {
    expect(app.stack.sim.fixture).toBe('read-only-contacts');
    expect(await page.locator('[data-id="preview-story"]').innerText()).toBe(
      describeFixture('read-only-contacts'),
    );
    await switchOnPage(() =>
      page.locator('label[for="preview-variant-frozen-integration-user"]').click(),
    );
    expect(await page.locator('#preview-variant-frozen-integration-user').isChecked()).toBe(true);
    // The header tells what is wrong with the demo org now: the fixture's story and the variant's.
    expect(await page.locator('[data-id="preview-story"]').innerText()).toBe(
      `${describeFixture('read-only-contacts')} ${PREVIEW_VARIANTS['frozen-integration-user'].story}`,
    );
    await suspended().waitFor({ timeout: 10_000 });
    expect(await suspended().getAttribute('data-reason')).toBe('OBJECT_PERMISSIONS_MISSING');
    // What the Apex panel and the printed CLI line read: the record in the org.
    expect(await relayedInOrg(portal)).toEqual([
      expect.objectContaining({
        portalId: portal,
        state: 'suspended',
        reason: 'OBJECT_PERMISSIONS_MISSING',
      }),
    ]);

    // Unticked again: still there, once (not a second copy).
    await switchOnPage(() =>
      page.locator('label[for="preview-variant-frozen-integration-user"]').click(),
    );
    expect(await statusRowsOf(portal, 1)).toHaveLength(1);
    expect(await relayedInOrg(portal)).toEqual([
      expect.objectContaining({ state: 'suspended', reason: 'OBJECT_PERMISSIONS_MISSING' }),
    ]);
  });

  test('another demo org does not hold it, and it is back with its own demo org; a change relayed meanwhile is kept', async () => {
    await switchOnPage(() => page.locator('[data-id="preview-fixture"]').selectOption('healthy'));
    expect(await page.locator('[data-id="preview-story"]').innerText()).toBe(
      describeFixture('healthy'),
    );
    expect(await statusRowsOf(portal, 0)).toEqual([]);
    expect(await page.locator('[data-id="suspension-current"]').count()).toBe(0);

    await switchOnPage(() =>
      page.locator('[data-id="preview-fixture"]').selectOption('read-only-contacts'),
    );
    await suspended().waitFor({ timeout: 10_000 });
    expect(await relayedInOrg(portal)).toEqual([
      expect.objectContaining({ state: 'suspended', reason: 'OBJECT_PERMISSIONS_MISSING' }),
    ]);

    // A clearance relayed after the switches updates the kept record (upserted by portal id).
    const cleared = await signedPost(app.stack, 'clear', {
      occurredAt: new Date().toISOString(),
      eventId: 'e2e-variant-switch-clear',
    });
    expect(cleared.status).toBe(202);
    await page.locator('[data-id="suspension-cleared"]').waitFor({ timeout: 10_000 });
    let statuses = await relayedInOrg(portal);
    for (let tries = 0; tries < 50 && statuses[0]?.state !== 'cleared'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      statuses = await relayedInOrg(portal);
    }
    expect(statuses).toEqual([expect.objectContaining({ state: 'cleared' })]);
    expect(await statusRowsOf(portal, 1)).toHaveLength(1);
  });

  test('"Send a demo suspension from HubSpot" sends the suspension the demo org and its variants bring, without a terminal', async () => {
    await switchOnPage(() =>
      page.locator('label[for="preview-variant-frozen-integration-user"]').click(),
    );
    await page.locator('[data-id="preview-send-suspension"]').click();
    // A frozen user is refused by Salesforce: HubSpot suspends with "API access disabled", and its
    // export holds only the everyday errors (no record fails for a user refused altogether).
    const title = SUSPENSION_REASONS.API_ACCESS_DISABLED.titles.en;
    const failed = demoSyncErrorGroups(app.stack.sim.fixture, ['frozen-integration-user']).reduce(
      (n, g) => n + g.rows,
      0,
    );
    const result = page.locator('[data-id="preview-send-suspension-result"]');
    await result.filter({ hasText: /\S/ }).waitFor({ timeout: 5000 });
    expect(await result.innerText()).toBe(
      `Sent to HubSpot portal ${portal}: "${title}". "Suspension reported by HubSpot" shows it. With it, a Sync Health export of ${failed} failed records: the panel lists its groups under the suspension.`,
    );
    await suspended().waitFor({ timeout: 5000 });
    expect(await suspended().getAttribute('data-reason')).toBe('API_ACCESS_DISABLED');
    let statuses = await relayedInOrg(portal);
    for (let tries = 0; tries < 50 && statuses[0]?.reason !== 'API_ACCESS_DISABLED'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      statuses = await relayedInOrg(portal);
    }
    expect(statuses).toEqual([
      expect.objectContaining({ state: 'suspended', reason: 'API_ACCESS_DISABLED', title }),
    ]);
  });
});
