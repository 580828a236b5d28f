/**
 * The page shows the suspension the org holds, as in Salesforce, where the Apex reads the
 * HubSpot_Sync_Status__c record the relay delivers and the page hears of a change from the
 * Sync_Doctor_Event__e published with it. The demo once answered from the relay's store and
 * listened to the relay's stream: it showed a suspension the org never got, hiding delivery bugs.
 */
import type { Page } from 'playwright-core';
import { STATUS_OBJECT } from '@sync-doctor/core';
import { openApp, signedPost, useAppStack } from './support/appStack.js';
import { eventually } from './support/eventually.js';

const app = useAppStack();
let page: Page;

beforeAll(async () => {
  page = await app.browser.newPage();
  await openApp(page, app.stack);
  await page
    .locator('[data-id="suspension-panel"][data-live-state="live"]')
    .waitFor({ timeout: 10_000 });
});

afterAll(async () => {
  app.stack?.sim.clearFaults();
  await page?.close();
});

interface Delivery {
  state: string;
  attempts: number;
  lastError: unknown;
}

const relayed = async (path: string) =>
  (await (await fetch(`${app.stack.url}/v1/portals/${app.stack.portalId}/${path}`)).json()) as {
    state?: string;
    items?: Delivery[];
  };

test('a suspension the org refused to store is not shown; once delivered, it shows without a reload', async () => {
  const { sim } = app.stack;
  await page.evaluate(() => {
    (window as unknown as { sameDocument: boolean }).sameDocument = true;
  });
  // Salesforce refuses the relay's write (the status record and its event, all or none).
  sim.injectFault({ path: /\/composite(\?|$)/, method: 'POST', fault: 'SERVER_UNAVAILABLE' });
  const response = await signedPost(app.stack, 'suspensions', {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    title: 'Salesforce object permissions missing',
    occurredAt: new Date().toISOString(),
    eventId: 'e2e-undelivered-1',
  });
  expect(response.status).toBe(202);
  // The relay has it, and tried to deliver it.
  expect((await relayed('state')).state).toBe('suspended');
  await eventually(
    () => relayed('deliveries'),
    (page) => (page.items ?? []).some((d) => d.attempts > 0 && d.lastError),
    { what: 'failed delivery attempt' },
  );
  const portal = STATUS_OBJECT.fields.portalId;
  expect(sim.records(STATUS_OBJECT.name).filter((r) => r[portal] === app.stack.portalId)).toEqual(
    [],
  );

  // The page is told nothing, and a refresh reads the org, which has no suspension.
  const read = page.waitForResponse((r) => r.url().endsWith('/preview/apex/getSuspensionStatus'));
  await page.locator('[data-id="suspension-refresh"]').click();
  expect(await (await read).json()).toEqual({ result: null });
  await page.locator('[data-id="suspension-none"]').waitFor({ timeout: 10_000 });
  expect(await page.locator('[data-id="suspension-current"]').count()).toBe(0);
  expect(await page.locator('[data-id="suspension-alert"][data-state="suspended"]').count()).toBe(
    0,
  );

  // Salesforce is back: the relay's retry delivers, and the event published with the record
  // tells the page, which then reads it.
  sim.clearFaults();
  const current = page.locator('[data-id="suspension-current"][data-state="suspended"]');
  await current.waitFor({ timeout: 20_000 });
  expect(await current.getAttribute('data-reason')).toBe('OBJECT_PERMISSIONS_MISSING');
  expect(
    sim.records(STATUS_OBJECT.name).filter((r) => r[portal] === app.stack.portalId),
  ).toHaveLength(1);
  expect(
    await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
  ).toBe(true);
});
