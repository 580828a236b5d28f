/**
 * The demo org selector without a browser, through the preview's API as the page uses it: a size
 * scales a demo org without changing its health, and a relayed suspension belongs to the demo org
 * it was sent for (each has a HubSpot portal of its own), so switching starts from that org's state.
 */
import {
  DEFAULT_REQUIREMENTS,
  SUSPENSION_REASONS,
  evaluateAccess,
  mergeRequirements,
  validateSnapshot,
  type Diagnosis,
  type Requirements,
} from '@sync-doctor/core';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FIXTURE_NAMES } from '@sync-doctor/org-simulator';
import { demoPortalId, startPreviewStack, type PreviewStack } from '../src/demo/previewStack.js';
import { demoSuspensionReason } from '../src/demo/curlLine.js';
import { ORG_EVENTS_PATH } from '../src/demo/orgEventStream.js';
import { signSuspensionRequest } from '../src/demo/signedPost.js';
import { startBanner } from '../src/demo/startBanner.js';
import { useDemoOrg } from './support/demoOrg.js';
import { eventually } from './support/eventually.js';

let stack: PreviewStack;

beforeAll(async () => {
  stack = await startPreviewStack({ port: 0 });
});

afterAll(async () => {
  await stack?.close();
});

async function apex<T>(method: string, params: unknown = {}): Promise<T> {
  const response = await fetch(`${stack.url}/preview/apex/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as { result?: string | null; error?: { message: string } };
  if (response.status !== 200) throw new Error(`${method}: ${body.error?.message}`);
  return JSON.parse(body.result ?? 'null') as T;
}

interface Settings {
  userId: string | null;
  portalId: string | null;
  extraFields: Requirements['fields'];
}

/** The page's diagnosis: the settings, the snapshot the collector reads, the core's verdict on it. */
async function diagnose(): Promise<Diagnosis> {
  const settings = await apex<Settings>('getSettings');
  const snapshot = await apex<unknown>('getSnapshot', { userId: settings.userId });
  const checked = validateSnapshot(snapshot);
  if (!checked.ok) throw new Error(`snapshot: ${checked.path}: ${checked.message}`);
  const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, { fields: settings.extraFields });
  return evaluateAccess(checked.snapshot, requirements);
}

/** What a size may not change: the verdict and the kinds of findings (counts aside). */
const kinds = (diagnosis: Diagnosis) => ({
  verdict: diagnosis.verdict,
  findings: [...new Set(diagnosis.findings.map((f) => `${f.severity} ${f.reason}`))].sort(),
});

describe('a size scales the demo org, not its health', () => {
  afterAll(() =>
    useDemoOrg(stack, { fixture: 'read-only-contacts', size: 'default', variants: [] }),
  );

  test('the large healthy org maps hundreds of fields, all of them in place', async () => {
    await useDemoOrg(stack, { fixture: 'healthy', size: 'large', variants: [] });
    const settings = await apex<Settings>('getSettings');
    expect(settings.extraFields.length).toBeGreaterThanOrEqual(270);
    const diagnosis = await diagnose();
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.verdict).toBe('healthy');
  });

  test.each(FIXTURE_NAMES.map((name) => [name]))(
    '%s: the large size gives the verdict and the kinds of findings of the default size',
    async (fixture) => {
      await useDemoOrg(stack, { fixture, size: 'default', variants: [] });
      const standard = await diagnose();
      await useDemoOrg(stack, { fixture, size: 'large', variants: [] });
      expect((await apex<Settings>('getSettings')).extraFields.length).toBeGreaterThan(0);
      const large = await diagnose();
      expect(kinds(large)).toEqual(kinds(standard));
    },
  );
});

describe("the demo suspension npm start prints is the one the demo org's story brings", () => {
  afterAll(() =>
    useDemoOrg(stack, { fixture: 'read-only-contacts', size: 'default', variants: [] }),
  );

  // A reason Sync Doctor can see in the org is one of the org's findings: HubSpot's relayed
  // suspension and the cards tell one story. (The healthy org's is a suspension already repaired;
  // one Salesforce cannot show, like HubSpot's own API allocation, has no finding of its own.)
  test.each(FIXTURE_NAMES.filter((name) => name !== 'healthy').map((name) => [name]))(
    '%s',
    async (fixture) => {
      const reason = demoSuspensionReason(fixture);
      await useDemoOrg(stack, { fixture, size: 'default', variants: [] });
      const reasons = new Set((await diagnose()).findings.map((f) => f.reason));
      if (SUSPENSION_REASONS[reason].checkedBySyncDoctor) expect([...reasons]).toContain(reason);
      else expect(reasons.size).toBeGreaterThan(0);
    },
  );

  test('a frozen integration user is refused: "Salesforce org API access disabled"', async () => {
    expect(demoSuspensionReason('read-only-contacts', ['frozen-integration-user'])).toBe(
      'API_ACCESS_DISABLED',
    );
    await useDemoOrg(stack, {
      fixture: 'read-only-contacts',
      size: 'default',
      variants: ['frozen-integration-user'],
    });
    expect((await diagnose()).findings.map((f) => f.reason)).toContain('API_ACCESS_DISABLED');
  });
});

describe('a relayed suspension belongs to the demo org it was sent for', () => {
  afterAll(() =>
    useDemoOrg(stack, { fixture: 'read-only-contacts', size: 'default', variants: [] }),
  );

  const config = async () =>
    (await (await fetch(`${stack.url}/preview/config.json`)).json()) as {
      portalId: string | null;
      streamUrl: string | null;
    };

  /** The relayed state the page's suspension panel reads: the settings' portal's. */
  const panelState = async () => {
    const { portalId } = await apex<Settings>('getSettings');
    return apex<{ state: string; reason: string | null } | null>('getSuspensionStatus', {
      portalId,
    });
  };
  /** The panel's state once the relay delivered the suspension into the org (the record it reads). */
  const deliveredState = () =>
    eventually(panelState, (status) => status?.state === 'suspended', {
      what: 'suspension delivered into the demo org',
    });

  async function suspend(eventId: string) {
    const request = signSuspensionRequest({
      url: stack.url,
      portalId: stack.portalId,
      secret: stack.signingSecret,
      route: 'suspensions',
      body: {
        reason: 'OBJECT_PERMISSIONS_MISSING',
        title: 'Salesforce object permissions missing',
        occurredAt: new Date().toISOString(),
        eventId,
      },
    });
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(response.status).toBe(202);
  }

  test('every demo org has a portal of its own', () => {
    const ids = FIXTURE_NAMES.map(demoPortalId);
    expect(new Set(ids).size).toBe(FIXTURE_NAMES.length);
    for (const id of ids) expect(id).toMatch(/^\d{8}$/);
    expect(stack.demoPortal('healthy')).toMatchObject({ portalId: demoPortalId('healthy') });
    expect(stack.demoPortal('healthy').signingSecret).not.toBe(
      stack.demoPortal('read-only-contacts').signingSecret,
    );
  });

  test('switching to another demo org shows its own state; switching back, the suspension again', async () => {
    await useDemoOrg(stack, { fixture: 'read-only-contacts', size: 'default', variants: [] });
    const suspendedPortal = demoPortalId('read-only-contacts');
    expect(stack.portalId).toBe(suspendedPortal);
    await suspend(`demo-orgs-${Date.now()}`);
    expect(await deliveredState()).toMatchObject({
      state: 'suspended',
      reason: 'OBJECT_PERMISSIONS_MISSING',
    });

    await useDemoOrg(stack, { fixture: 'healthy' });
    // The settings, the page's stream and the stack's curl target all follow the demo org.
    expect((await apex<Settings>('getSettings')).portalId).toBe(demoPortalId('healthy'));
    expect(await config()).toMatchObject({
      portalId: demoPortalId('healthy'),
      // The org's own event channel (every portal's events, as in Salesforce): the page keeps its portal's.
      streamUrl: ORG_EVENTS_PATH,
    });
    expect(stack.portalId).toBe(demoPortalId('healthy'));
    // The healthy org's portal never heard of a suspension.
    expect(await panelState()).toBeNull();
    const stream = await fetch(`${stack.url}/v1/portals/${demoPortalId('healthy')}/state`);
    expect(((await stream.json()) as { state: string }).state).not.toBe('suspended');

    // A size or a variant is the same org: its portal and state stay.
    await useDemoOrg(stack, { fixture: 'read-only-contacts', size: 'large' });
    expect(await panelState()).toMatchObject({ state: 'suspended' });
    await useDemoOrg(stack, { fixture: 'read-only-contacts', size: 'default' });
    expect(await panelState()).toMatchObject({ state: 'suspended' });
    expect((await config()).portalId).toBe(suspendedPortal);
  });

  test('a portal the admin saved by hand stays across a switch', async () => {
    await useDemoOrg(stack, { fixture: 'read-only-contacts', size: 'default', variants: [] });
    const settings = await apex<Settings>('getSettings');
    await apex('saveSettings', {
      userId: settings.userId,
      portalId: '4242',
      extraFieldsJson: JSON.stringify(settings.extraFields),
    });
    try {
      await useDemoOrg(stack, { fixture: 'healthy' });
      expect((await apex<Settings>('getSettings')).portalId).toBe('4242');
    } finally {
      const now = await apex<Settings>('getSettings');
      await apex('saveSettings', {
        userId: now.userId,
        portalId: demoPortalId('healthy'),
        extraFieldsJson: JSON.stringify(now.extraFields),
      });
    }
  });

  test('the curl lines npm start prints are for the demo org it started on, and say so', async () => {
    await useDemoOrg(stack, { fixture: 'api-disabled', size: 'default', variants: [] });
    const banner = startBanner({
      url: stack.url,
      fixture: 'api-disabled',
      size: 'default',
      variants: [],
      portalId: stack.portalId,
      signingSecret: stack.signingSecret,
    });
    expect(banner).toContain(`to the portal of "api-disabled" (${demoPortalId('api-disabled')})`);
    expect(banner).toContain('a suspension stays with the org it was sent for');
    const lines = banner.split('\n');
    const first = lines.findIndex((line) => line.startsWith('secret='));
    const last = lines.findIndex((line) => line.startsWith('curl -sS'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines[last]).toContain(`/v1/portals/${demoPortalId('api-disabled')}/suspensions`);

    // Pasted after a switch to the healthy org, they still suspend api-disabled, not healthy.
    await useDemoOrg(stack, { fixture: 'healthy' });
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-c', lines.slice(first, last + 1).join('\n')],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(JSON.parse(stdout)).toMatchObject({ status: { state: 'suspended' } });
    expect(await panelState()).toBeNull();
    await useDemoOrg(stack, { fixture: 'api-disabled' });
    // The suspension its story brings: the user lacks "API Enabled".
    expect(await deliveredState()).toMatchObject({
      state: 'suspended',
      reason: 'API_ACCESS_DISABLED',
    });
  });
});
