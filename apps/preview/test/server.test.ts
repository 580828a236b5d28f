/**
 * The preview server without a browser: the controller methods against the demo stack (org
 * simulator through the collector, relay store), their argument checks, the static file guard, and
 * the `curl` line `npm start` prints, run through bash and openssl as a user would.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startPreviewStack, type PreviewStack } from '../src/demo/previewStack.js';
import { demoSuspensionCurl } from '../src/demo/curlLine.js';
import { PREVIEW_VARIANTS } from '../src/demo/variants.js';
import { describeFixture } from '@sync-doctor/org-simulator';

let stack: PreviewStack;

beforeAll(async () => {
  stack = await startPreviewStack({ port: 0 });
});

afterAll(async () => {
  await stack?.close();
});

async function apex(
  method: string,
  params: unknown = {},
): Promise<{ status: number; body: { result?: string | null; error?: { message: string } } }> {
  const response = await fetch(`${stack.url}/preview/apex/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: await response.json() };
}

const parse = (text: string | null | undefined) => JSON.parse(text ?? 'null');

describe('controller methods on the demo org', () => {
  test('getSettings starts on the demo integration user and portal', async () => {
    const { status, body } = await apex('getSettings');
    expect(status).toBe(200);
    expect(parse(body.result)).toEqual({
      userId: stack.sim.integrationUser.Id,
      portalId: stack.portalId,
      extraFields: [],
      // As SyncDoctorSettings.toJson: the preview's user may change them (Sync_Doctor_Admin).
      canEdit: true,
    });
  });

  test('getSnapshot reads the integration user through the collector', async () => {
    const { status, body } = await apex('getSnapshot', { userId: stack.sim.integrationUser.Id });
    expect(status).toBe(200);
    const snapshot = parse(body.result);
    expect(snapshot.user.Id).toBe(stack.sim.integrationUser.Id);
    expect(
      snapshot.objectPermissions.some(
        (row: { SobjectType: string }) => row.SobjectType === 'Contact',
      ),
    ).toBe(true);
    expect(snapshot.limits.DailyApiRequests.Max).toBeGreaterThan(0);
  });

  test('findIntegrationUserCandidates ranks the user found by every source first', async () => {
    const { body } = await apex('findIntegrationUserCandidates');
    const { candidates, unread } = parse(body.result);
    expect(unread).toEqual([]);
    expect(candidates[0]).toMatchObject({
      userId: stack.sim.integrationUser.Id,
      sources: ['oauth', 'permissionSet', 'saved'],
    });
    expect(candidates.length).toBeGreaterThan(1);
  });

  test('searchUsers finds by name and refuses a one-letter term with the Apex message', async () => {
    const found = parse((await apex('searchUsers', { term: 'integration' })).body.result);
    expect(found.map((c: { userId: string }) => c.userId)).toContain(stack.sim.integrationUser.Id);
    const tooShort = await apex('searchUsers', { term: 'a' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error?.message).toBe(
      'Type at least two characters of a name, username or e-mail.',
    );
    const quoted = await apex('searchUsers', { term: "o'brien%_" });
    expect(quoted.status).toBe(200);
    expect(parse(quoted.body.result)).toEqual([]);
  });

  test('the viewer variant makes the running user a viewer: canEdit and canFix false, saveSettings and the fixes refused, until it is taken off', async () => {
    const use = (variants: string[]) =>
      fetch(`${stack.url}/preview/fixture`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fixture: 'read-only-contacts', variants }),
      });
    const before = parse((await apex('getSettings')).body.result);
    try {
      expect((await use(['viewer'])).status).toBe(200);
      expect(parse((await apex('getSettings')).body.result)).toEqual({
        ...before,
        canEdit: false,
      });
      // A viewer is no admin: without the rights a fix needs, told before the click.
      expect(parse((await apex('getFixRights')).body.result)).toEqual({
        canFix: false,
        canAssign: false,
        missingRights: ['Assign Permission Sets', 'Manage Profiles and Permission Sets'],
      });
      const assign = await apex('assignIntegrationPermissionSet', {
        userId: stack.sim.integrationUser.Id,
      });
      expect(assign.status).toBe(403);
      expect(assign.body.error?.message).toMatch(/^You cannot assign permission sets/);
      const refused = await apex('saveSettings', {
        userId: stack.sim.integrationUser.Id,
        portalId: '4242',
        extraFieldsJson: '[]',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error?.message).toMatch(
        /^You can use Sync Doctor but not change its settings/,
      );
      expect(parse((await apex('getSettings')).body.result).portalId).toBe(before.portalId);
    } finally {
      await use([]);
    }
    expect(parse((await apex('getSettings')).body.result)).toEqual(before);
    expect(parse((await apex('getFixRights')).body.result)).toMatchObject({ canFix: true });
  });

  test('saveSettings validates its arguments and keeps the last good settings', async () => {
    const badId = await apex('saveSettings', {
      userId: 'not-an-id',
      portalId: '1',
      extraFieldsJson: '[]',
    });
    expect(badId.status).toBe(400);
    expect(badId.body.error?.message).toMatch(/userId must be a Salesforce Id/);
    const badFields = await apex('saveSettings', {
      userId: stack.sim.integrationUser.Id,
      portalId: '1',
      extraFieldsJson: '[{"name":"NoDot"}]',
    });
    expect(badFields.status).toBe(400);
    expect(badFields.body.error?.message).toMatch(/Object\.Field/);
    const notJson = await apex('saveSettings', {
      userId: stack.sim.integrationUser.Id,
      portalId: '1',
      extraFieldsJson: '[{',
    });
    expect(notJson.status).toBe(400);
    expect(parse((await apex('getSettings')).body.result).portalId).toBe(stack.portalId);

    const saved = await apex('saveSettings', {
      userId: stack.sim.integrationUser.Id,
      portalId: stack.portalId,
      extraFieldsJson: JSON.stringify([{ name: 'Contact.Hub_Score__c', access: ['read'] }]),
    });
    expect(parse(saved.body.result).extraFields).toEqual([
      { name: 'Contact.Hub_Score__c', access: ['read'] },
    ]);
    await apex('saveSettings', {
      userId: stack.sim.integrationUser.Id,
      portalId: stack.portalId,
      extraFieldsJson: '[]',
    });
  });

  test('applyRemediation refuses a plan that is not JSON, and getSuspensionStatus is null for a quiet portal', async () => {
    const bad = await apex('applyRemediation', {
      userId: stack.sim.integrationUser.Id,
      planJson: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(
      stack.sim.records('PermissionSet').some((row) => row.Name === 'Sync_Doctor_Remediation'),
    ).toBe(false);
    const quiet = await apex('getSuspensionStatus', { portalId: 'never-heard-of' });
    expect(quiet).toEqual({ status: 200, body: { result: null } });
  });
});

describe('the preview routes', () => {
  test('static files never leave their folder', async () => {
    for (const url of [
      '/assets/../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/preview/static/..%2f..%2fpackage.json',
      '/assets/%E0%A4%A',
    ]) {
      const response = await fetch(stack.url + url);
      expect([400, 404]).toContain(response.status);
    }
  });

  test('an unknown fixture is a 400 listing the known ones; a known one switches the org', async () => {
    const unknown = await fetch(`${stack.url}/preview/fixture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"fixture":"nope"}',
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toMatch(/read-only-contacts/);
    const healthy = await fetch(`${stack.url}/preview/fixture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"fixture":"healthy"}',
    });
    expect(await healthy.json()).toMatchObject({ fixture: 'healthy' });
    expect(stack.sim.fixture).toBe('healthy');
    await fetch(`${stack.url}/preview/fixture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"fixture":"read-only-contacts"}',
    });
  });

  test('size and variants: unknown ones are a 400 naming the known ones; known ones change the org and say so', async () => {
    const post = (body: unknown) =>
      fetch(`${stack.url}/preview/fixture`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const badSize = await post({ fixture: 'healthy', size: 'huge' });
    expect(badSize.status).toBe(400);
    expect((await badSize.json()).error.message).toBe('size must be one of: default, large');
    const badVariant = await post({
      fixture: 'healthy',
      variants: ['frozen-integration-user', 'x'],
    });
    expect(badVariant.status).toBe(400);
    expect((await badVariant.json()).error.message).toMatch(
      /^variants must be a list of: admin-without-user-rights, frozen-integration-user, viewer$/,
    );
    expect(stack.sim.fixture).toBe('read-only-contacts');
    const frozen = await post({ fixture: 'healthy', variants: ['frozen-integration-user'] });
    expect(await frozen.json()).toMatchObject({
      fixture: 'healthy',
      size: 'default',
      sizes: ['default', 'large'],
      variants: [
        { name: 'admin-without-user-rights', active: false },
        { name: 'frozen-integration-user', active: true },
        { name: 'viewer', active: false },
      ],
    });
    expect(stack.sim.records('UserLogin')).toContainEqual(
      expect.objectContaining({ UserId: stack.sim.integrationUser.Id, IsFrozen: true }),
    );
    // Without variants in the body, the switch keeps them; the page's config says the same.
    await post({ fixture: 'read-only-contacts' });
    const config = await (await fetch(`${stack.url}/preview/config.json`)).json();
    expect(config).toMatchObject({ fixture: 'read-only-contacts', size: 'default' });
    expect(config.variants[1]).toMatchObject({ name: 'frozen-integration-user', active: true });
    expect(config.demoSuspension).toBe(true);
    // The header's story: the fixture's, then the variant's, which changes it.
    expect(config.story).toBe(
      `${describeFixture('read-only-contacts')} ${PREVIEW_VARIANTS['frozen-integration-user'].story}`,
    );
    await post({ fixture: 'read-only-contacts', variants: [] });
    expect(stack.sim.records('UserLogin')).toContainEqual(
      expect.objectContaining({ UserId: stack.sim.integrationUser.Id, IsFrozen: false }),
    );
  });

  test("the curl line npm start prints is accepted by the relay's signature check", async () => {
    // Asynchronous: the relay answering curl runs in this very process.
    const { stdout: output } = await promisify(execFile)(
      'bash',
      ['-c', demoSuspensionCurl(stack)],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(JSON.parse(output)).toMatchObject({
      duplicate: false,
      status: { state: 'suspended', reason: 'OBJECT_PERMISSIONS_MISSING' },
    });
    const state = await (await fetch(`${stack.url}/v1/portals/${stack.portalId}/state`)).json();
    expect(state.state).toBe('suspended');
  });
});
