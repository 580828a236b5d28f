import { randomBytes } from 'node:crypto';
import { DEFAULT_REQUIREMENTS } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { REQUIREMENTS_BODY_BYTES } from '../src/routes/v1/adminAccess.js';
import { admin, tempDir, testConfig, waitFor } from './helpers.js';
import { createConnectedPortal, jwtApp, jwtConnection } from './orgDelivery.js';
import { signalsConfig } from './signalsHelpers.js';

// A portal's own access requirements (PUT/GET/DELETE /v1/admin/portals/:id/access-requirements):
// the CLI's --requirements JSON, checked by the core's rules, stored, and used by the access watch
// on its next check. Against the org simulator, with a mapped custom field the integration user
// cannot see.

const jwt = jwtApp('3MVG9access.requirements.key');
const HOUR = 3_600_000;
const CUSTOM = 'Contact.Tier__c';
const TIER = {
  description: 'our mapped custom fields',
  fields: [{ name: CUSTOM, access: ['read', 'edit'], hubspotProperty: 'tier' }],
};

describe('access requirements per portal', () => {
  let sim: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    // The org has the custom field (the simulator adds it), but no permission set grants it:
    // HubSpot's integration user can neither read nor edit it.
    sim = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
      requiredFields: [CUSTOM],
    });
    const grants = sim.records('FieldPermissions').filter((r) => r.Field === CUSTOM);
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) sim.org.delete(String(grant.Id));
    dir = tempDir();
    app = await buildApp(
      testConfig(dir.path, {
        secretKey: randomBytes(32),
        signals: signalsConfig({ accessWatch: { enabled: true, intervalMs: HOUR } }),
      }),
    );
    await app.ready();
    for (const id of ['9100', '9200'])
      await createConnectedPortal(app, id, jwtConnection(jwt, sim));
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
    dir.remove();
  });

  const requirements = (portalId: string, method: 'GET' | 'DELETE' = 'GET') =>
    app.inject({
      method,
      url: `/v1/admin/portals/${portalId}/access-requirements`,
      headers: admin,
    });
  const put = (portalId: string, payload: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${portalId}/access-requirements`,
      headers: { ...admin, 'content-type': 'application/json', ...headers },
      payload,
    });
  const access = async (portalId: string) =>
    (
      await app.inject({ method: 'GET', url: `/v1/portals/${portalId}/access`, headers: admin })
    ).json();
  const custom = (findings: { subject: string; severity: string }[]) =>
    findings.filter((f) => f.subject === CUSTOM);

  it('round-trips: none (the defaults), set, read back, replaced, cleared', async () => {
    const none = await requirements('9100');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({
      portalId: '9100',
      configured: false,
      document: null,
      updatedAt: null,
      effective: DEFAULT_REQUIREMENTS,
    });

    const saved = await put('9100', JSON.stringify(TIER));
    expect(saved.statusCode).toBe(200);
    const view = saved.json();
    expect(view).toMatchObject({ portalId: '9100', configured: true, document: TIER });
    expect(view.effective.fields.map((f: { name: string }) => f.name)).toEqual([
      ...DEFAULT_REQUIREMENTS.fields.map((f) => f.name),
      CUSTOM,
    ]);
    expect((await requirements('9100')).json()).toEqual(view);
    // The other portal keeps the defaults.
    expect((await requirements('9200')).json()).toMatchObject({ configured: false });

    const only = { replaceDefaults: true, objects: [{ name: 'Contact', access: ['read'] }] };
    const replaced = await put('9100', JSON.stringify(only));
    expect(replaced.statusCode).toBe(200);
    expect((await requirements('9100')).json()).toMatchObject({
      document: only,
      effective: {
        objects: [{ name: 'Contact', access: ['read'] }],
        fields: [],
        permissionSets: [],
        systemPermissions: [],
      },
    });

    const cleared = await requirements('9100', 'DELETE');
    expect(cleared.statusCode).toBe(204);
    expect((await requirements('9100')).json()).toMatchObject({
      configured: false,
      document: null,
      effective: DEFAULT_REQUIREMENTS,
    });
    // Clearing again is no error; strangers and unknown portals are refused.
    expect((await requirements('9100', 'DELETE')).statusCode).toBe(204);
    expect((await requirements('nope')).statusCode).toBe(404);
    expect((await put('nope', JSON.stringify(TIER))).statusCode).toBe(404);
    const anonymous = await app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/9100/access-requirements',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(TIER),
    });
    expect(anonymous.statusCode).toBe(401);
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const path = docs.paths['/v1/admin/portals/{portalId}/access-requirements'];
    expect(Object.keys(path).sort()).toEqual(['delete', 'get', 'put']);
    expect(path.put.tags).toEqual(['admin']);
  });

  const huge = JSON.stringify({
    fields: Array.from({ length: 3000 }, (_, i) => ({ name: `Contact.Field_${i}__c` })),
  });
  it.each([
    ['not JSON', '{"fields": [', 400, /JSON/i],
    ['an array', '[]', 400, /the document must be a JSON object/],
    ['null', 'null', 400, /the document must be a JSON object/],
    ['a string', '"fields"', 400, /the document must be a JSON object/],
    ['an unknown key', '{"feilds": []}', 400, /"feilds" is not a requirements key/],
    [
      'fields not an array',
      '{"fields": {"name": "Contact.Tier__c"}}',
      400,
      /"fields" must be an array/,
    ],
    [
      'a field without its object',
      '{"fields": [{"name": "Tier__c"}]}',
      400,
      /fields\[0\]\.name must be "Object\.Field"/,
    ],
    ['a field name of the wrong type', '{"fields": [{"name": 7}]}', 400, /fields\[0\]\.name/],
    [
      'an access right that does not exist',
      '{"objects": [{"name": "Lead", "access": ["write"]}]}',
      400,
      /objects\[0\]\.access has 'write'/,
    ],
    [
      'access not a list',
      '{"fields": [{"name": "Contact.Tier__c", "access": "edit"}]}',
      400,
      /fields\[0\]\.access must be an array of names/,
    ],
    [
      'replaceDefaults not a boolean',
      '{"replaceDefaults": "yes"}',
      400,
      /"replaceDefaults" must be true or false/,
    ],
    [
      'a system permission that is not a column',
      '{"systemPermissions": ["ApiEnabled"]}',
      400,
      /"systemPermissions" has 'ApiEnabled'/,
    ],
    ['a body over the limit', huge, 413, /larger than this route accepts/],
  ])('%s: refused, and what was set stays', async (_label, body, status, message) => {
    const before = await put('9200', JSON.stringify(TIER));
    expect(before.statusCode).toBe(200);
    const refused = await put('9200', body);
    expect(refused.statusCode).toBe(status);
    expect(refused.json().error).toMatch(message);
    if (status === 400 && refused.json().code === 'INVALID_REQUIREMENTS')
      expect(refused.json().details).toEqual({
        path: expect.any(String),
        problem: expect.any(String),
      });
    expect((await requirements('9200')).json()).toEqual(before.json());
  });

  it('refuses a body sent as another content type', async () => {
    const refused = await put('9200', JSON.stringify(TIER), { 'content-type': 'text/plain' });
    expect(refused.statusCode).toBe(415);
  });

  it('the huge body of the table is over the route’s limit', () => {
    expect(Buffer.byteLength(huge)).toBeGreaterThan(REQUIREMENTS_BODY_BYTES);
  });

  it('the watch flags the custom field the integration user cannot see only when it is in the portal’s requirements', async () => {
    await requirements('9100', 'DELETE');
    await requirements('9200', 'DELETE');
    // HubSpot's defaults: the custom field is none of its business.
    const defaults = (await app.accessWatch!.checkNow('9100'))!;
    expect(defaults).toMatchObject({
      verdict: 'healthy',
      requirements: { source: 'default', updatedAt: null },
    });
    expect(custom(defaults.findings)).toEqual([]);

    // The portal maps it: the next check judges it, and the admin sees why.
    const set = await put('9100', JSON.stringify(TIER));
    expect(set.statusCode).toBe(200);
    const judged = (await app.accessWatch!.checkNow('9100'))!;
    expect(judged.verdict).toBe('blocked');
    expect(custom(judged.findings)).toEqual([
      expect.objectContaining({ severity: 'error', subject: CUSTOM }),
    ]);
    expect(await access('9100')).toMatchObject({
      status: 'blocked',
      requirements: { source: 'portal', updatedAt: set.json().updatedAt },
      findings: [expect.objectContaining({ subject: CUSTOM })],
    });
    // The other portal, same org, no requirements of its own: healthy.
    expect((await app.accessWatch!.checkNow('9200'))!.verdict).toBe('healthy');

    // Back to the defaults: the field is not judged any more.
    await requirements('9100', 'DELETE');
    const back = (await app.accessWatch!.checkNow('9100'))!;
    expect(back.verdict).toBe('healthy');
    expect(custom(back.findings)).toEqual([]);
  });

  it('a PUT brings the next check forward: the watch judges with the new requirements within seconds', async () => {
    await requirements('9100', 'DELETE');
    await app.accessWatch!.checkNow('9100');
    const before = (await access('9100')).checkedAt as string;
    expect((await put('9100', JSON.stringify(TIER))).statusCode).toBe(200);
    const after = await waitFor(
      async () => {
        const now = await access('9100');
        return now.checkedAt !== before && now;
      },
      15_000,
      'a check soon after the PUT',
    );
    expect(after).toMatchObject({ status: 'blocked', requirements: { source: 'portal' } });
  });
});
