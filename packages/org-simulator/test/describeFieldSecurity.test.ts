import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * A describe speaks for the user who asks: Salesforce leaves out the fields its field-level
 * security hides (and answers NOT_FOUND for an object it may not read), so a reader with fewer
 * rights than an admin cannot tell a hidden field from a deleted one by the describe alone.
 */
let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'hidden-mapped-field' });
});
afterEach(() => org.sim.close());

type Describe = { fields: { name: string }[] };
const names = (d: Describe) => d.fields.map((f) => f.name);

test('a user without field-level security on a field does not find it in the describe', async () => {
  const integration = await asUser(org.sim, org.sim.integrationUser.Username);
  const mine = await integration('GET', `${API}/sobjects/Contact/describe`);
  expect(mine.status).toBe(200);
  const fields = names((await mine.json()) as Describe);
  // Email is hidden from it by the fixture; Phone is not, and LastName has no field-level security.
  expect(fields).not.toContain('Email');
  expect(fields).toEqual(expect.arrayContaining(['Id', 'LastName', 'Phone']));

  const admin = await asUser(org.sim, org.sim.adminUser.Username);
  const all = await admin('GET', `${API}/sobjects/Contact/describe`);
  expect(names((await all.json()) as Describe)).toContain('Email');
});

test('an object the user may not read answers NOT_FOUND to its describe', async () => {
  const relay = await asUser(org.sim, org.sim.relayUser.Username);
  const response = await relay('GET', `${API}/sobjects/Contact/describe`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject([{ errorCode: 'NOT_FOUND' }]);
});
