import {
  CONNECTED_APP_ACCESS_FIELDS,
  CONNECTED_APP_FIELDS,
  CONNECTED_APP_NAME_LIKE,
  type Snapshot,
} from '@sync-doctor/core';
import { API, type TestOrg } from './helpers.js';

/**
 * A deliberately small reader (a composite and /limits, as the collector reads) that turns
 * the simulator's answers into the core's snapshot, so the tests can check that every fixture
 * means to the core what its description says.
 */
const SNAPSHOT_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign', 'Task', 'User'];

const PS_FIELDS = [
  'Id',
  'Name',
  'Label',
  'Type',
  'IsOwnedByProfile',
  'HasActivationRequired',
  'Profile.Name',
  'PermissionsApiEnabled',
  'PermissionsViewSetup',
  'PermissionsModifyAllData',
  'PermissionsViewAllData',
  'PermissionsEditTask',
  'PermissionsViewAllUsers',
];

/** What the sub-requests answer: a query's records, a describe's fields, or the limits. */
interface SubResponseBody {
  records: unknown[];
  fields?: Array<{
    name: string;
    permissionable: boolean;
    calculated: boolean;
    nillable: boolean;
    type: string;
    referenceTo: string[];
  }>;
}

export async function readSnapshot(
  org: TestOrg,
  username: string,
): Promise<{ snapshot: Snapshot; status: number }> {
  const q = (soql: string) => `${API}/query?q=${encodeURIComponent(soql)}`;
  const assigned = `SELECT PermissionSetId FROM PermissionSetAssignment WHERE Assignee.Username = '${username}'`;
  const compositeRequest = [
    {
      method: 'GET',
      referenceId: 'user',
      url: q(
        `SELECT Id, Username, Name, IsActive, UserPermissionsMarketingUser, ProfileId, Profile.Name FROM User WHERE Username = '${username}'`,
      ),
    },
    {
      method: 'GET',
      referenceId: 'org',
      url: q(
        'SELECT Id, Name, InstanceName, IsSandbox, OrganizationType, DefaultAccountAccess, DefaultContactAccess, DefaultLeadAccess, DefaultOpportunityAccess, DefaultCampaignAccess FROM Organization',
      ),
    },
    {
      method: 'GET',
      referenceId: 'assignments',
      url: q(
        `SELECT Id, PermissionSetId, PermissionSetGroupId, ExpirationDate, ${PS_FIELDS.map((f) => `PermissionSet.${f}`).join(', ')}, PermissionSetGroup.Id, PermissionSetGroup.DeveloperName, PermissionSetGroup.MasterLabel, PermissionSetGroup.Status FROM PermissionSetAssignment WHERE Assignee.Username = '${username}'`,
      ),
    },
    {
      method: 'GET',
      referenceId: 'objects',
      url: q(
        `SELECT ParentId, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords, PermissionsViewAllFields FROM ObjectPermissions WHERE ParentId IN (${assigned})`,
      ),
    },
    {
      method: 'GET',
      referenceId: 'fields',
      url: q(
        `SELECT ParentId, SobjectType, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId IN (${assigned}) AND SobjectType IN ('${SNAPSHOT_OBJECTS.join("','")}')`,
      ),
    },
    ...SNAPSHOT_OBJECTS.map((name) => ({
      method: 'GET',
      referenceId: `describe${name}`,
      url: `${API}/sobjects/${name}/describe`,
    })),
  ];
  // /limits is no composite resource: a call of its own beside the composite, as the collector does.
  const [res, limits] = await Promise.all([
    org.send('POST', `${API}/composite`, { allOrNone: false, compositeRequest }),
    org.get(`${API}/limits`),
  ]);
  const { compositeResponse } = (await res.json()) as {
    compositeResponse: Array<{
      referenceId: string;
      body: SubResponseBody;
      httpStatusCode: number;
    }>;
  };
  // The optional sections in a composite of their own (the first holds 5 queries, the most one
  // may), as the Apex reader asks: the caller's own permissions (may they read every user's logins,
  // and connected apps?), the integration user's attempts of the week, HubSpot's connected apps,
  // the approvals of the user's permission sets (the profile's own included) for connected apps,
  // and whether the user is frozen (UserLogin.IsFrozen, which needs Manage Users).
  const logins = await org.send('POST', `${API}/composite`, {
    allOrNone: false,
    compositeRequest: [
      {
        method: 'GET',
        referenceId: 'access',
        url: q(
          'SELECT PermissionsManageUsers, PermissionsCustomizeApplication, PermissionsModifyAllData, PermissionsManageConnectedApps FROM UserPermissionAccess',
        ),
      },
      {
        method: 'GET',
        referenceId: 'connectedApps',
        url: q(
          `SELECT ${CONNECTED_APP_FIELDS.join(', ')} FROM ConnectedApplication WHERE Name LIKE '${CONNECTED_APP_NAME_LIKE}' ORDER BY Name`,
        ),
      },
      {
        method: 'GET',
        referenceId: 'connectedAppAccess',
        url: q(
          `SELECT ${CONNECTED_APP_ACCESS_FIELDS.join(', ')} FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication' AND ParentId IN (${assigned})`,
        ),
      },
      {
        method: 'GET',
        referenceId: 'logins',
        url: q(
          `SELECT LoginTime, Status, Application, LoginType, SourceIp FROM LoginHistory WHERE UserId IN (SELECT Id FROM User WHERE Username = '${username}') AND LoginTime = LAST_N_DAYS:7 ORDER BY LoginTime DESC LIMIT 200`,
        ),
      },
      {
        method: 'GET',
        referenceId: 'frozen',
        url: q(
          `SELECT IsFrozen FROM UserLogin WHERE UserId IN (SELECT Id FROM User WHERE Username = '${username}') LIMIT 1`,
        ),
      },
    ],
  });
  const loginParts = ((await logins.json()) as { compositeResponse: typeof compositeResponse })
    .compositeResponse;
  const access = loginParts.find((r) => r.referenceId === 'access')!.body.records[0] as
    | {
        PermissionsManageUsers?: boolean;
        PermissionsCustomizeApplication?: boolean;
        PermissionsModifyAllData?: boolean;
        PermissionsManageConnectedApps?: boolean;
      }
    | undefined;
  const part = (id: string) => compositeResponse.find((r) => r.referenceId === id)!;
  const fields: Snapshot['fields'] = {};
  for (const name of SNAPSHOT_OBJECTS) {
    for (const field of part(`describe${name}`).body.fields ?? []) {
      fields[`${name}.${field.name}`] = {
        permissionable: field.permissionable,
        calculated: field.calculated,
        nillable: field.nillable,
        type: field.type,
        referenceTo: field.referenceTo,
        exists: true,
      };
    }
  }
  const snapshot: Snapshot = {
    schemaVersion: 1,
    capturedAt: new Date().toISOString(),
    // The simulator answers in the REST shapes the snapshot keeps (what the tests check).
    organization: part('org').body.records[0] as Snapshot['organization'],
    user: part('user').body.records[0] as Snapshot['user'],
    assignments: part('assignments').body.records as Snapshot['assignments'],
    objectPermissions: part('objects').body.records as Snapshot['objectPermissions'],
    fieldPermissions: part('fields').body.records as Snapshot['fieldPermissions'],
    fields,
    limits: (await limits.json()) as Snapshot['limits'],
  };
  // As the Apex reader (withFrozenFlag): IsFrozen only when UserLogin could be read; left out otherwise.
  const frozen = loginParts.find((r) => r.referenceId === 'frozen')!;
  const login = frozen.httpStatusCode === 200 ? frozen.body.records[0] : undefined;
  if (snapshot.user && login)
    snapshot.user = { ...snapshot.user, IsFrozen: (login as { IsFrozen: boolean }).IsFrozen };
  if (access?.PermissionsManageUsers === true)
    snapshot.logins = loginParts.find((r) => r.referenceId === 'logins')!.body
      .records as Snapshot['logins'];
  // Left out (not read) without Customize Application and Modify All Data or Manage Connected Apps
  // (Salesforce Help; the Apex reader's CONNECTED_APP_PERMISSIONS and CONNECTED_APP_MANAGE_PERMISSIONS),
  // or when a query was refused anyway
  // (INVALID_TYPE: SetupEntityAccess needs View Setup): an empty list would read as "not installed".
  const apps = loginParts.find((r) => r.referenceId === 'connectedApps')!;
  const approvals = loginParts.find((r) => r.referenceId === 'connectedAppAccess')!;
  if (
    access?.PermissionsCustomizeApplication === true &&
    (access.PermissionsModifyAllData === true || access.PermissionsManageConnectedApps === true) &&
    apps.httpStatusCode === 200 &&
    approvals.httpStatusCode === 200
  )
    snapshot.connectedApps = {
      apps: apps.body.records as NonNullable<Snapshot['connectedApps']>['apps'],
      access: approvals.body.records as NonNullable<Snapshot['connectedApps']>['access'],
    };
  return { snapshot, status: Math.max(res.status, limits.status, logins.status) };
}
