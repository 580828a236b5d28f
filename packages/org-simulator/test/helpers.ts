import {
  buildObjectSchema,
  startOrgSimulator,
  type FixtureChange,
  type OrgSimulator,
  type OrgSimulatorOptions,
} from '../src/index.js';

export const API = '/services/data/v64.0';

/** A simulator plus small fetch helpers that speak its REST API as a client would. */
export interface TestOrg {
  sim: OrgSimulator;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  send(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  query(soql: string, headers?: Record<string, string>): Promise<Response>;
}

export async function startTestOrg(options: OrgSimulatorOptions = {}): Promise<TestOrg> {
  const sim = await startOrgSimulator(options);
  const auth = () => ({ Authorization: `Bearer ${sim.accessToken}` });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${sim.url}${path}`, { headers: { ...auth(), ...headers } });
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${sim.url}${path}`, {
      method,
      headers: { ...auth(), 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const query = (soql: string, headers: Record<string, string> = {}) =>
    get(`${API}/query?q=${encodeURIComponent(soql)}`, headers);
  return { sim, get, send, query };
}

/**
 * Client_Document__c (key prefix a0D), a custom object deployed after the fixture was built, so no
 * profile or permission set holds its fields; `fields` as buildObjectSchema takes them.
 */
export function addClientDocument(
  sim: OrgSimulator,
  fields: Parameters<typeof buildObjectSchema>[1]['fields'],
): void {
  sim.org.schema.add(
    buildObjectSchema('Client_Document__c', {
      kind: 'data',
      keyPrefix: 'a0D',
      label: 'Client Document',
      fields,
    }),
  );
}

/** The describe of `field` on `sobject` as the org answers it (undefined when the describe leaves it out). */
export async function describedField(
  org: TestOrg,
  sobject: string,
  field: string,
): Promise<Record<string, unknown> | undefined> {
  const describe = (await (await org.get(`${API}/sobjects/${sobject}/describe`)).json()) as {
    fields: Array<Record<string, unknown>>;
  };
  return describe.fields.find((f) => f.name === field);
}

/** A fixture change granting `permission` (e.g. PermissionsManageUsers) to the integration user's profile. */
export const grantToIntegrationProfile = (permission: string): FixtureChange => ({
  op: 'setSystemPermission',
  profile: 'HubSpot Integration User',
  permission,
  value: true,
});

/** A session of any user of the org through the JWT bearer flow (a test org checks no signature). */
async function sessionOf(sim: OrgSimulator, username: string): Promise<string> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    iss: 'test-client',
    sub: username,
    aud: 'https://login.salesforce.com',
    exp: Math.floor(Date.now() / 1000) + 120,
  };
  const assertion = `${encode({ alg: 'RS256' })}.${encode(claims)}.unsigned`;
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`no session for ${username}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A client that speaks the REST API as another user of the org. */
export async function asUser(
  sim: OrgSimulator,
  username: string,
): Promise<(method: string, path: string, body?: unknown) => Promise<Response>> {
  const session = await sessionOf(sim, username);
  return (method, path, body) =>
    fetch(`${sim.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}
