import { parseCliArgs, USAGE } from '../src/cli.js';
import { FIXTURE_NAMES } from '../src/fixtures/index.js';
import { API, startTestOrg } from './helpers.js';

describe('describe', () => {
  test("Person Accounts show as Account's IsPersonAccount field, which an org without them lacks", async () => {
    const fieldsOf = async (org: Awaited<ReturnType<typeof startTestOrg>>) =>
      (
        (await (await org.get(`${API}/sobjects/Account/describe`)).json()) as {
          fields: Array<Record<string, unknown>>;
        }
      ).fields;
    const plain = await startTestOrg();
    const persons = await startTestOrg({ personAccounts: true });
    try {
      expect((await fieldsOf(plain)).some((f) => f.name === 'IsPersonAccount')).toBe(false);
      const fields = await fieldsOf(persons);
      expect(fields.find((f) => f.name === 'IsPersonAccount')).toMatchObject({
        type: 'boolean',
        createable: false,
        updateable: false,
        permissionable: false,
      });
      expect(fields.find((f) => f.name === 'PersonContactId')).toMatchObject({
        type: 'reference',
        referenceTo: ['Contact'],
      });
      // It is an ordinary column: SOQL may filter on it.
      const res = await persons.query('SELECT Id FROM Account WHERE IsPersonAccount = false');
      expect(res.status).toBe(200);
      // The option survives a switch of fixture.
      persons.sim.useFixture('read-only-contacts');
      expect((await fieldsOf(persons)).some((f) => f.name === 'IsPersonAccount')).toBe(true);
    } finally {
      await plain.sim.close();
      await persons.sim.close();
    }
  });

  test('sobject describe lists fields with the properties Salesforce gives', async () => {
    const org = await startTestOrg();
    try {
      const res = await org.get(`${API}/sobjects/Contact/describe`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        name: string;
        keyPrefix: string;
        fields: Array<Record<string, unknown>>;
        urls: Record<string, string>;
      };
      expect(body).toMatchObject({
        name: 'Contact',
        keyPrefix: '003',
        urls: { describe: `${API}/sobjects/Contact/describe` },
      });
      const byName = new Map(body.fields.map((f) => [f.name, f]));
      expect(byName.get('Email')).toMatchObject({
        type: 'email',
        permissionable: true,
        nillable: true,
        createable: true,
        updateable: true,
        calculated: false,
      });
      expect(byName.get('LastName')).toMatchObject({ permissionable: false, nillable: false });
      expect(byName.get('AccountId')).toMatchObject({
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
        permissionable: true,
      });
      expect(byName.get('Id')).toMatchObject({
        type: 'id',
        permissionable: false,
        createable: false,
      });
      expect(byName.get('CreatedDate')).toMatchObject({
        type: 'datetime',
        updateable: false,
        permissionable: false,
      });
      const task = (await (await org.get(`${API}/sobjects/Task/describe`)).json()) as {
        fields: Array<Record<string, unknown>>;
      };
      expect(task.fields.find((f) => f.name === 'WhoId')!.referenceTo).toEqual(['Contact', 'Lead']);
      const global = (await (await org.get(`${API}/sobjects`)).json()) as {
        sobjects: Array<{ name: string }>;
      };
      expect(global.sobjects.map((s) => s.name)).toEqual(
        expect.arrayContaining(['PermissionSet', 'HubSpot_Sync_Status__c', 'Sync_Doctor_Event__e']),
      );
      const missing = await org.get(`${API}/sobjects/Nope__c/describe`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual([
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
      expect((await org.get('/services/data')).status).toBe(200);
    } finally {
      await org.sim.close();
    }
  });

  test('useFixture switches the org under a running simulator, sessions stay valid', async () => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      const editOf = async () => {
        const res = await org.query(
          `SELECT PermissionsEdit FROM ObjectPermissions WHERE Parent.Name = 'HubSpot_Integration_Permissions' AND SobjectType = 'Contact'`,
        );
        return ((await res.json()) as { records: Array<{ PermissionsEdit: boolean }> }).records[0]!
          .PermissionsEdit;
      };
      expect(await editOf()).toBe(true);
      org.sim.useFixture('read-only-contacts');
      expect(org.sim.fixture).toBe('read-only-contacts');
      expect(await editOf()).toBe(false);
      expect(() => org.sim.useFixture('nope' as 'healthy')).toThrow(/Unknown fixture/);
      expect(org.sim.fixture).toBe('read-only-contacts');
    } finally {
      await org.sim.close();
    }
  });
});

describe('bin arguments', () => {
  test('parses fixture, size and port; bad input is a one-line error', () => {
    expect(
      parseCliArgs(['--fixture', 'storage-full', '--size', 'large', '--port', '8123']),
    ).toEqual({ kind: 'serve', fixture: 'storage-full', size: 'large', port: 8123 });
    expect(parseCliArgs([])).toEqual({
      kind: 'serve',
      fixture: 'healthy',
      size: 'default',
      port: 0,
    });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--fixture', 'nope'])).toEqual({
      kind: 'error',
      message: "unknown fixture 'nope'",
    });
    expect(parseCliArgs(['--port', '-1']).kind).toBe('error');
    expect(parseCliArgs(['--port', '70000']).kind).toBe('error');
    expect(parseCliArgs(['--bogus']).kind).toBe('error');
  });

  test('--help names every fixture and fits a 100-column terminal', () => {
    for (const name of FIXTURE_NAMES) expect(USAGE).toMatch(new RegExp(`[ ,]${name}[,\\n]`));
    expect(USAGE.split('\n').filter((line) => line.length > 100)).toEqual([]);
    // Each line of the options starts an option or goes on in the description column.
    const optionLines = USAGE.slice(USAGE.indexOf('Options:')).split('\n').slice(1);
    for (const line of optionLines) expect(line).toMatch(/^ {2}--|^ {19}\S/);
  });
});
