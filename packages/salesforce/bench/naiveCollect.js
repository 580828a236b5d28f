// The baseline reader for the bench: what a straightforward script does, one REST call per thing.
// One query per object (ObjectPermissions), one per assigned permission set (FieldPermissions),
// one describe per object, plus the user, the organization, the assignments and /limits, each
// followed page by page. Bench only: the product uses collectSnapshot.
import { DEFAULT_REQUIREMENTS } from '@sync-doctor/core';
import { requestCount, sendRest } from '@sync-doctor/salesforce';

const V = '/services/data/v64.0';
const quote = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

async function queryAll(conn, soql) {
  let page = await sendRest(conn, {
    method: 'GET',
    url: `${V}/query?q=${encodeURIComponent(soql)}`,
  });
  const records = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    page = await sendRest(conn, { method: 'GET', url: page.nextRecordsUrl });
    records.push(...page.records);
  }
  return records;
}

export async function naiveCollect(conn, { user, requirements = DEFAULT_REQUIREMENTS }) {
  const before = requestCount(conn);
  const [found] = await queryAll(
    conn,
    `SELECT Id, Username, Name, IsActive, UserPermissionsMarketingUser, ProfileId, Profile.Name FROM User WHERE Username = ${quote(user)}`,
  );
  if (!found) throw new Error(`No user ${user}`);
  const [organization] = await queryAll(
    conn,
    'SELECT Id, Name, InstanceName, IsSandbox, OrganizationType FROM Organization',
  );
  const assignments = await queryAll(
    conn,
    `SELECT Id, PermissionSetId, PermissionSetGroupId, ExpirationDate, PermissionSet.Id, PermissionSet.Name, PermissionSet.Label, PermissionSet.Type, PermissionSet.IsOwnedByProfile, PermissionSet.Profile.Name, PermissionSet.PermissionsApiEnabled FROM PermissionSetAssignment WHERE AssigneeId = ${quote(found.Id)}`,
  );
  const parents = assignments.map((a) => quote(a.PermissionSetId)).join(', ');
  const objects = [
    ...new Set([
      ...requirements.objects.map((o) => o.name),
      ...requirements.fields.map((f) => f.name.split('.')[0]),
    ]),
  ];
  const objectPermissions = [];
  const fields = {};
  for (const object of objects) {
    objectPermissions.push(
      ...(await queryAll(
        conn,
        `SELECT ParentId, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE SobjectType = ${quote(object)} AND ParentId IN (${parents})`,
      )),
    );
    const describe = await sendRest(conn, {
      method: 'GET',
      url: `${V}/sobjects/${object}/describe`,
    });
    for (const field of describe.fields) fields[`${object}.${field.name}`] = field;
  }
  const fieldPermissions = [];
  for (const assignment of assignments) {
    fieldPermissions.push(
      ...(await queryAll(
        conn,
        `SELECT ParentId, SobjectType, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = ${quote(assignment.PermissionSetId)}`,
      )),
    );
  }
  const limits = await sendRest(conn, { method: 'GET', url: `${V}/limits` });
  return {
    user: found,
    organization,
    assignments,
    objectPermissions,
    fieldPermissions,
    fields,
    limits,
    requests: requestCount(conn) - before,
  };
}
