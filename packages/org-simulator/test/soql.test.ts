import { ApiError } from '../src/errors.js';
import { loadFixture, runQuery, type Org } from '../src/index.js';
import packageObjects from '../src/fixtures/data/package-objects.json' with { type: 'json' };

const NOW = new Date('2026-06-15T12:00:00Z');
let org: Org;
beforeAll(() => {
  org = loadFixture('expired-assignment', 'default', { now: NOW });
});

const run = (soql: string) => runQuery(org, soql, '64.0');
const names = (soql: string) => run(soql).records.map((r) => r.Name ?? r.Username);
function errorOf(soql: string): { errorCode: string; message: string; statusCode: number } {
  try {
    run(soql);
  } catch (error) {
    if (error instanceof ApiError)
      return { errorCode: error.errorCode, message: error.message, statusCode: error.statusCode };
    throw error;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('WHERE', () => {
  test('=, != and case-insensitive text comparison', () => {
    expect(names("SELECT Name FROM Profile WHERE Name = 'system administrator'")).toEqual([
      'System Administrator',
    ]);
    expect(
      names("SELECT Name FROM Profile WHERE Name != 'System Administrator' ORDER BY Name"),
    ).toEqual(['HubSpot Integration User', 'Standard User', 'Sync Doctor Relay Integration']);
  });

  test('IN, NOT IN and LIKE with % and _', () => {
    expect(
      names(
        "SELECT Name FROM PermissionSet WHERE Name IN ('Marketing_Reports', 'Support_Console') ORDER BY Name",
      ),
    ).toEqual(['Marketing_Reports', 'Support_Console']);
    expect(
      names(
        "SELECT Name FROM PermissionSet WHERE IsOwnedByProfile = false AND Type NOT IN ('Group', 'Session') ORDER BY Name",
      ),
    ).toEqual(
      [
        // The fixture's own (Support_Console is session-based; the groups' aggregates are Type Group).
        'HubSpot_Integration_Permissions',
        'Marketing_Reports',
        'Sync_Doctor_User',
        // The Sync Doctor package's own, generated from force-app: a set the package adds is here too.
        ...packageObjects.permissionSets.map((set) => set.name),
      ].sort(),
    );
    expect(names("SELECT Username FROM User WHERE Username LIKE 'HUBSPOT%'")).toEqual([
      'hubspot.integration@acme.example',
    ]);
    expect(names("SELECT Username FROM User WHERE Username LIKE '_am.sales@%'")).toEqual([
      'sam.sales@acme.example',
    ]);
  });

  test('parentheses and NOT are honoured; mixing AND and OR without them is malformed, as in SOQL', () => {
    const both =
      "SELECT Username FROM User WHERE (Username = 'admin@acme.example' OR Username = 'sam.sales@acme.example') AND IsActive = true ORDER BY Username";
    expect(names(both)).toEqual(['admin@acme.example', 'sam.sales@acme.example']);
    const mixed =
      "SELECT Username FROM User WHERE Username = 'admin@acme.example' OR Username = 'old.hubspot@acme.example' AND IsActive = true";
    expect(errorOf(mixed)).toMatchObject({ statusCode: 400, errorCode: 'MALFORMED_QUERY' });
    const grouped =
      "SELECT Username FROM User WHERE Username = 'admin@acme.example' OR (Username = 'old.hubspot@acme.example' AND IsActive = true)";
    expect(names(grouped)).toEqual(['admin@acme.example']);
    const negated =
      "SELECT Username FROM User WHERE NOT (IsActive = true OR Username = 'admin@acme.example')";
    expect(names(negated)).toEqual(['old.hubspot@acme.example']);
    // NOT inside parentheses after AND, as "A AND (NOT B)" (the parser gives a left holding only "(").
    const andNot =
      "SELECT Username FROM User WHERE Username LIKE '%.%@acme.example' AND (NOT Username LIKE 'old.%') ORDER BY Username";
    expect(names(andNot)).toEqual([
      'hubspot.integration@acme.example',
      'sam.sales@acme.example',
      'sync-doctor.relay@acme.example',
    ]);
    expect(
      names("SELECT Username FROM User WHERE (NOT Username LIKE '%.%@%') ORDER BY Username"),
    ).toEqual(['admin@acme.example']);
  });

  test('null, booleans and date-times, including date literals', () => {
    const expiring = `SELECT Id, ExpirationDate FROM PermissionSetAssignment WHERE ExpirationDate != null`;
    const [row] = run(expiring).records;
    expect(row!.ExpirationDate).toBe('2026-06-12T12:00:00.000+0000');
    expect(
      run('SELECT Id FROM PermissionSetAssignment WHERE ExpirationDate < 2026-06-15T00:00:00Z')
        .totalSize,
    ).toBe(1);
    expect(
      run('SELECT Id FROM PermissionSetAssignment WHERE ExpirationDate > 2026-06-15T00:00:00Z')
        .totalSize,
    ).toBe(0);
    expect(
      run('SELECT Id FROM PermissionSetAssignment WHERE ExpirationDate < TODAY').totalSize,
    ).toBe(1);
    expect(
      run('SELECT Id FROM PermissionSetAssignment WHERE ExpirationDate = LAST_N_DAYS:7').totalSize,
    ).toBe(1);
    expect(
      run('SELECT Id FROM PermissionSetAssignment WHERE ExpirationDate = LAST_N_DAYS:2').totalSize,
    ).toBe(0);
    const active = run(
      'SELECT Id FROM PermissionSetAssignment WHERE ExpirationDate = null OR ExpirationDate > TODAY',
    ).totalSize;
    expect(active).toBe(org.table('PermissionSetAssignment').length - 1);
  });

  test('parent fields filter through lookups, and 15-character ids match 18-character ones', () => {
    const id15 = org.integrationUserId.slice(0, 15);
    const byParent = run(
      "SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = 'hubspot.integration@acme.example'",
    ).totalSize;
    expect(
      run(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${id15}'`).totalSize,
    ).toBe(byParent);
    expect(byParent).toBe(2);
    expect(
      names(
        "SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE PermissionSet.Profile.Name = 'Standard User'",
      ).length,
    ).toBe(1);
  });

  test('semi-join sub-selects', () => {
    const soql = `SELECT SobjectType FROM ObjectPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${org.integrationUserId}') AND SobjectType = 'Lead'`;
    expect(run(soql).totalSize).toBe(2);
  });

  test('a semi-join next to OR, or inside parentheses, is MALFORMED_QUERY as in SOQL; an OR inside the sub-select is fine', () => {
    const semiJoin =
      "PermissionSetGroupId IN (SELECT PermissionSetGroupId FROM PermissionSetGroupComponent WHERE PermissionSet.Label = 'X' OR PermissionSet.Name = 'Y')";
    expect(run(`SELECT AssigneeId FROM PermissionSetAssignment WHERE ${semiJoin}`).totalSize).toBe(
      0,
    );
    expect(
      run(
        `SELECT AssigneeId FROM PermissionSetAssignment WHERE ${semiJoin} AND (ExpirationDate = null OR AssigneeId != null)`,
      ).totalSize,
    ).toBe(0);
    expect(() =>
      run(
        `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Y' OR ${semiJoin}`,
      ),
    ).toThrow(
      expect.objectContaining({
        errorCode: 'MALFORMED_QUERY',
        message: expect.stringContaining(
          "Semi join sub-selects are not allowed with the 'OR' operator",
        ),
      }),
    );
    expect(() =>
      run(
        `SELECT AssigneeId FROM PermissionSetAssignment WHERE AssigneeId != null AND (PermissionSet.Name = 'Y' OR ${semiJoin})`,
      ),
    ).toThrow(
      expect.objectContaining({
        errorCode: 'MALFORMED_QUERY',
        message: expect.stringContaining('only allowed at the top level WHERE expressions'),
      }),
    );
  });
});

describe('SELECT, ORDER BY, LIMIT', () => {
  test('parents are nested records; an empty lookup is null', () => {
    const { records } = run(
      "SELECT Name, Profile.Name, PermissionSetGroup.MasterLabel FROM PermissionSet WHERE Type = 'Profile' LIMIT 1",
    );
    expect(records[0]!.Profile).toMatchObject({ attributes: { type: 'Profile' } });
    expect(records[0]!.PermissionSetGroup).toBeNull();
    expect(Object.keys(records[0]!)).toEqual([
      'attributes',
      'Name',
      'Profile',
      'PermissionSetGroup',
    ]);
  });

  test('field names come back in the schema spelling whatever the query spelling', () => {
    const { records } = run(
      "select username, PROFILE.name from user where username = 'admin@acme.example'",
    );
    expect(records[0]).toMatchObject({
      Username: 'admin@acme.example',
      Profile: { Name: 'System Administrator' },
    });
  });

  test('ORDER BY DESC with NULLS LAST, LIMIT and OFFSET, COUNT()', () => {
    const ordered = run(
      'SELECT Username, Title FROM User ORDER BY Title DESC NULLS LAST, Username ASC',
    ).records;
    expect(ordered[0]!.Title).toBe('Integration user');
    expect(ordered[ordered.length - 1]!.Title).toBeNull();
    expect(
      run('SELECT Username FROM User ORDER BY Username LIMIT 2 OFFSET 1').records.map(
        (r) => r.Username,
      ),
    ).toEqual(['hubspot.integration@acme.example', 'old.hubspot@acme.example']);
    expect(run('SELECT COUNT() FROM User')).toEqual({ totalSize: 5, records: [] });
  });
});

/** A child relationship's nested query result, as the REST API returns it. */
interface Children {
  totalSize: number;
  done: boolean;
  records: Array<{ attributes: { type: string } } & Record<string, unknown>>;
}

describe('child relationship sub-selects', () => {
  test('children come back as nested query results, null when there are none', () => {
    const { records } = run(
      "SELECT Name, (SELECT SobjectType, PermissionsEdit FROM ObjectPerms WHERE SobjectType IN ('Contact', 'Lead') ORDER BY SobjectType), (SELECT Field FROM FieldPerms LIMIT 2), (SELECT Id FROM Assignments) FROM PermissionSet WHERE Name IN ('HubSpot_Integration_Permissions', 'Marketing_Reports') ORDER BY Name",
    );
    const [hubspot, marketing] = records as Array<Record<string, Children | null>>;
    expect(hubspot!.ObjectPerms).toMatchObject({ totalSize: 2, done: true });
    expect(hubspot!.ObjectPerms!.records.map((r) => r.SobjectType)).toEqual(['Contact', 'Lead']);
    expect(hubspot!.ObjectPerms!.records[0]!.attributes.type).toBe('ObjectPermissions');
    expect(hubspot!.FieldPerms!.records).toHaveLength(2);
    expect(hubspot!.Assignments!.totalSize).toBe(1);
    expect(marketing!.ObjectPerms!.records.map((r) => r.SobjectType)).toEqual(['Lead']);
    // Marketing_Reports is only in a group: no direct assignment rows.
    expect(marketing!.Assignments).toBeNull();
  });

  test('a user with its assignments and their permission sets', () => {
    const { records } = run(
      `SELECT Username, (SELECT PermissionSet.Name, ExpirationDate FROM PermissionSetAssignments) FROM User WHERE Id = '${org.integrationUserId}'`,
    );
    const assignments = (records[0] as Record<string, Children>).PermissionSetAssignments!.records;
    expect(assignments.map((a) => (a.PermissionSet as { Name: string }).Name).sort()).toEqual(
      ['HubSpot_Integration_Permissions', expect.stringMatching(/^X00e/)].sort(),
    );
  });

  test('an unknown child relationship is INVALID_TYPE', () => {
    expect(errorOf('SELECT Id, (SELECT Id FROM Nothing) FROM User').errorCode).toBe('INVALID_TYPE');
    expect(
      errorOf('SELECT Id, (SELECT Bogus FROM PermissionSetAssignments) FROM User').errorCode,
    ).toBe('INVALID_FIELD');
  });
});

describe('errors, as Salesforce reports them', () => {
  test('unknown column, relationship and type', () => {
    expect(errorOf('SELECT Id, Bogus__c FROM Contact')).toMatchObject({
      statusCode: 400,
      errorCode: 'INVALID_FIELD',
    });
    expect(errorOf('SELECT Nope.Name FROM Contact').message).toContain(
      "Didn't understand relationship 'Nope'",
    );
    expect(errorOf('SELECT Id FROM Sync_Doctor_Event__e').errorCode).toBe('INVALID_TYPE');
  });

  test('type mismatches and bad ids in filters', () => {
    expect(errorOf("SELECT Id FROM User WHERE IsActive = 'true'").message).toContain(
      'must be of type boolean',
    );
    expect(errorOf('SELECT Id FROM User WHERE Username = 5').message).toContain(
      'must be of type string',
    );
    expect(errorOf("SELECT Id FROM User WHERE Id = 'nope'")).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringContaining('invalid ID field: nope'),
    });
    expect(errorOf('SELECT Name, COUNT(Id) FROM User GROUP BY Name').errorCode).toBe(
      'MALFORMED_QUERY',
    );
  });

  test('PermissionSet has Assign Permission Sets and Manage Profiles and Permission Sets, as real orgs do', () => {
    // The remediation appliers read both for every set a plan assigns; without the columns each
    // query failed INVALID_FIELD and was asked again without them.
    const soql =
      'SELECT Name, IsOwnedByProfile, PermissionsAssignPermissionSets, PermissionsManageProfilesPermissionsets FROM PermissionSet';
    const rows = run(soql).records;
    const admin = rows.find(
      (r) => r.IsOwnedByProfile === true && r.PermissionsAssignPermissionSets,
    );
    expect(admin).toMatchObject({ PermissionsManageProfilesPermissionsets: true });
    expect(rows.find((r) => r.Name === 'Sync_Doctor_Relay')).toMatchObject({
      PermissionsAssignPermissionSets: false,
      PermissionsManageProfilesPermissionsets: false,
    });
    // UserPermissionAccess has the same columns (its rows come from the session's user over HTTP).
    expect(() =>
      run(
        'SELECT PermissionsAssignPermissionSets, PermissionsManageProfilesPermissionsets FROM UserPermissionAccess',
      ),
    ).not.toThrow();
    const lean = loadFixture('healthy', 'default', {
      dropColumns: ['PermissionSet.PermissionsAssignPermissionSets'],
    });
    expect(() => runQuery(lean, soql, '64.0')).toThrow(
      /No such column 'PermissionsAssignPermissionSets' on entity 'PermissionSet'/,
    );
  });

  test('an edition without a Permissions* column raises INVALID_FIELD on it', () => {
    const lean = loadFixture('healthy', 'default', {
      dropColumns: ['PermissionSet.PermissionsViewAllUsers'],
    });
    expect(() =>
      runQuery(lean, 'SELECT Id, PermissionsViewAllUsers FROM PermissionSet', '64.0'),
    ).toThrow(/No such column 'PermissionsViewAllUsers' on entity 'PermissionSet'/);
    expect(
      runQuery(lean, 'SELECT Id, PermissionsApiEnabled FROM PermissionSet', '64.0').totalSize,
    ).toBeGreaterThan(0);
    expect(() =>
      loadFixture('healthy', 'default', { dropColumns: ['PermissionSet.Nope'] }),
    ).toThrow(/no column/);
  });
});
