import {
  NEVER_GRANTED_SYSTEM_PERMISSIONS,
  OBJECT_RIGHTS,
  OBJECT_RIGHT_COLUMNS,
  REMEDIATION_PERMISSION_SET as REMEDIATION_SET_NAME,
  REMEDIATION_PERMISSION_SET_LABEL,
  REMEDIATION_SET_SESSION_BASED,
  assignmentRefusal,
  describePermissionSet,
} from '@sync-doctor/core';
import type { Connection } from 'jsforce';
import {
  firstFailure,
  packSubRequests,
  sendComposite,
  subResult,
  type SubRequest,
} from '../composite.js';
import { SalesforceError } from '../errors.js';
import { queryUrl, soqlList, soqlString } from '../soql.js';
import { DATA_PATH } from '../version.js';
import { COLLECTION_MAX_RECORDS, collectionRefusal, savingWaves } from './objectRowWaves.js';
import { readSets, type Row } from './permissionSetRead.js';
import {
  caseSafeId,
  validatePlan,
  type RemediationPlanInput,
  type RemediationResult,
} from './remediationInput.js';

/** The permission set the remediation writes into: the core's name and label (the Apex twin's too). */
export const REMEDIATION_PERMISSION_SET = {
  name: REMEDIATION_SET_NAME,
  label: REMEDIATION_PERMISSION_SET_LABEL,
} as const;

/** Why a session-based Sync_Doctor_Remediation is refused: the core's words, the Apex twin's too. */
export { REMEDIATION_SET_SESSION_BASED };
export {
  isConnectedAppId,
  type RemediationPlanInput,
  type RemediationResult,
} from './remediationInput.js';
export { savingWaves } from './objectRowWaves.js';

/**
 * The Node twin of the Apex remediation: gives the user exactly the rights the plan lists, in the
 * permission set Sync_Doctor_Remediation (created when absent, existing rows only ever gain rights),
 * approves that set for the plan's connected apps, assigns it, and assigns the permission sets the
 * plan names. Two composite requests when it all fits in one (25 sub-requests); the writes of each
 * composite are all-or-none, sent in order (collateSubrequests false).
 *
 * New ObjectPermissions rows are saved in waves (savingWaves, by the core's saveWave), each wave's
 * new rows by one DML statement: one sObject Collections subrequest (up to 200 rows, counted among
 * a composite's 5 queries/collections) when it has several, a plain POST when one. Rows that need
 * each other's Read (Account and Contact with Person Accounts) share a wave; a chain takes one wave
 * a link. A typical plan needs two waves, so it costs fewer sub-requests than one POST per row did.
 *
 * Connected apps cost one query in the read composite (the set's SetupEntityAccess rows for the
 * planned apps, so a second run approves nothing twice) and one POST sub-request per app the set
 * lacks in the write composite. Only a plan with object rows, field rows and apps together exceeds
 * a composite's 5 queries: its reads go in two composites sent at once (3 requests, still 2 rounds).
 * Reading SetupEntityAccess needs View Setup and Configuration; approving an app, Customize
 * Application and Modify All Data or Manage Connected Apps.
 */
export async function applyRemediation(
  conn: Connection,
  input: { userId: string; plan: RemediationPlanInput },
): Promise<RemediationResult> {
  const { userId, plan } = input;
  validatePlan(userId, plan);
  const namedSets = [
    ...new Set((plan.assignPermissionSets ?? []).map((s) => s.trim()).filter(Boolean)),
  ];
  // Exactly the rights each row lists: validatePlan refused a row lacking one its rights need
  // (the core's objectRightsRefusal), as the Apex applier does, rather than add one unasked.
  const objectRights = plan.objectPermissions;
  const fieldRights = plan.fieldPermissions.map((f) => ({ ...f, read: f.read || f.edit }));
  const systemPermissions = [...new Set(plan.systemPermissions ?? [])];
  // Once each, by the 18-character Id (SetupEntityAccess answers those).
  const connectedApps = [
    ...new Map(
      (plan.connectedApps ?? []).map((app) => [
        caseSafeId(app.id)!,
        { id: caseSafeId(app.id)!, name: app.name.trim() },
      ]),
    ).values(),
  ];
  const needsOwnSet =
    objectRights.length > 0 ||
    fieldRights.length > 0 ||
    systemPermissions.length > 0 ||
    connectedApps.length > 0;
  if (!needsOwnSet && namedSets.length === 0) {
    return {
      permissionSetId: null,
      assigned: [],
      objectPermissions: 0,
      fieldPermissions: 0,
      notFound: [],
      connectedApps: [],
    };
  }

  // 1. What is there: the user, the permission sets, their assignments, the remediation set's rows.
  const remediationParent = `ParentId IN (SELECT Id FROM PermissionSet WHERE Name = ${soqlString(REMEDIATION_PERMISSION_SET.name)} AND NamespacePrefix = null)`;
  const setNames = [REMEDIATION_PERMISSION_SET.name, ...namedSets];
  // The sets the plan names are read with the never-granted system permissions they hold, in the
  // same query, so a set holding one is refused before any change (assignmentRefusal, below).
  const guardColumns =
    namedSets.length > 0 ? ['IsOwnedByProfile', ...NEVER_GRANTED_SYSTEM_PERMISSIONS] : [];
  const setsSoql = (columns: readonly string[]) =>
    `SELECT Id, Name, Label, NamespacePrefix, HasActivationRequired${columns.map((column) => `, ${column}`).join('')} FROM PermissionSet WHERE IsOwnedByProfile = false AND PermissionSetGroupId = null AND (Name IN ${soqlList(setNames)} OR Label IN ${soqlList(namedSets.length ? namedSets : [REMEDIATION_PERMISSION_SET.label])})`;
  const reads: SubRequest[] = [
    {
      referenceId: 'user',
      method: 'GET',
      url: queryUrl(`SELECT Id, IsActive FROM User WHERE Id = ${soqlString(userId)}`),
    },
    { referenceId: 'sets', method: 'GET', url: queryUrl(setsSoql(guardColumns)) },
    {
      referenceId: 'assignments',
      method: 'GET',
      url: queryUrl(
        `SELECT Id, PermissionSetId, ExpirationDate FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)}`,
      ),
    },
  ];
  if (objectRights.length > 0) {
    reads.push({
      referenceId: 'objects',
      method: 'GET',
      url: queryUrl(
        `SELECT Id, SobjectType, ${Object.values(OBJECT_RIGHT_COLUMNS).join(', ')} FROM ObjectPermissions WHERE ${remediationParent} AND SobjectType IN ${soqlList(objectRights.map((o) => o.sobjectType))}`,
      ),
    });
  }
  if (fieldRights.length > 0) {
    reads.push({
      referenceId: 'fields',
      method: 'GET',
      url: queryUrl(
        `SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ${remediationParent} AND Field IN ${soqlList(fieldRights.map((f) => f.field))}`,
      ),
    });
  }
  if (connectedApps.length > 0) {
    reads.push({
      referenceId: 'approvals',
      method: 'GET',
      url: queryUrl(
        `SELECT Id, SetupEntityId FROM SetupEntityAccess WHERE ${remediationParent} AND SetupEntityId IN ${soqlList(connectedApps.map((app) => app.id))}`,
      ),
    });
  }
  // At most 6 queries: more than 5 (objects, fields and apps together) take two composites, sent at once.
  const found = new Map(
    (
      await Promise.all(
        packSubRequests(reads).map((pack) =>
          sendComposite(conn, pack, { label: 'POST /composite (remediation read)' }),
        ),
      )
    ).flatMap((answers) => [...answers]),
  );
  const users = subResult<{ records: Row[] }>(found.get('user'), 'user').records;
  if (users.length === 0)
    throw new SalesforceError({
      errorCode: 'USER_NOT_FOUND',
      message: `No user with id '${userId}' in this org`,
    });
  const sets = await readSets(conn, found.get('sets'), guardColumns, setsSoql);
  // An assignment past its ExpirationDate grants nothing, but Salesforce removes it only later and
  // until then refuses a second one for the same set (DUPLICATE_VALUE): it is renewed instead.
  const now = Date.now();
  const assignmentRows = subResult<{ records: Row[] }>(
    found.get('assignments'),
    'assignments',
  ).records;
  const isLapsed = (r: Row) =>
    typeof r.ExpirationDate === 'string' && Date.parse(r.ExpirationDate) <= now;
  const assignedIds = new Set(
    assignmentRows.filter((r) => !isLapsed(r)).map((r) => String(r.PermissionSetId)),
  );
  const lapsedRows = new Map(
    assignmentRows.filter(isLapsed).map((r) => [String(r.PermissionSetId), String(r.Id)]),
  );
  /** Assigns a set to the user: a new row, or the lapsed one with its expiration removed. */
  const assignment = (referenceId: string, setId: string | null, setRef: string): SubRequest => {
    const lapsed = setId ? lapsedRows.get(setId) : undefined;
    return lapsed
      ? {
          referenceId,
          method: 'PATCH',
          url: `${DATA_PATH}/sobjects/PermissionSetAssignment/${lapsed}`,
          body: { ExpirationDate: null },
        }
      : {
          referenceId,
          method: 'POST',
          url: `${DATA_PATH}/sobjects/PermissionSetAssignment`,
          body: { AssigneeId: userId, PermissionSetId: setRef },
        };
  };
  const existingObjects = new Map(
    (found.has('objects')
      ? subResult<{ records: Row[] }>(found.get('objects'), 'objects').records
      : []
    ).map((r) => [String(r.SobjectType).toLowerCase(), r]),
  );
  const existingFields = new Map(
    (found.has('fields')
      ? subResult<{ records: Row[] }>(found.get('fields'), 'fields').records
      : []
    ).map((r) => [String(r.Field).toLowerCase(), r]),
  );
  const approvedApps = new Set(
    (found.has('approvals')
      ? subResult<{ records: Row[] }>(found.get('approvals'), 'approvals').records
      : []
    ).map((r) => caseSafeId(String(r.SetupEntityId))),
  );

  // The org's own set (a package's set of that name is not Sync Doctor's), as the Apex applier.
  const remediationSet = sets.find(
    (s) => s.Name === REMEDIATION_PERMISSION_SET.name && !s.NamespacePrefix,
  );
  // A session-based set grants nothing until a session activates it, which HubSpot's connector
  // never does: rights put into it would change nothing, and every run would plan them again.
  if (needsOwnSet && remediationSet?.HasActivationRequired === true)
    throw new SalesforceError({
      errorCode: 'REMEDIATION_SET_SESSION_BASED',
      message: REMEDIATION_SET_SESSION_BASED,
    });
  const notFound: string[] = [];
  const toAssign: { id: string; label: string }[] = [];
  for (const wanted of namedSets) {
    // As the Apex applier: a name or label several sets answer to (HubSpot's set and a clone
    // keeping its label, say) is refused, not the first of them assigned.
    const matches = sets.filter(
      (s) =>
        String(s.Name).toLowerCase() === wanted.toLowerCase() ||
        String(s.Label).toLowerCase() === wanted.toLowerCase(),
    );
    if (matches.length > 1)
      throw new SalesforceError({
        errorCode: 'AMBIGUOUS_PERMISSION_SET',
        message: `Several permission sets answer to "${wanted}": ${matches.map(describePermissionSet).join(', ')}. Assign the right one in Setup > Permission Sets.`,
      });
    const set = matches[0];
    // A set holding a right Sync Doctor never grants (Modify All Data, ...) is refused, held by
    // the user already or not: the plan asks for it, and assigning it would get round the rules
    // on what a plan may grant. The core's rule (grantable.ts), which the Apex applier keeps too.
    const refusal = set ? assignmentRefusal([set]) : null;
    if (refusal)
      throw new SalesforceError({ errorCode: 'PERMISSION_SET_NOT_ASSIGNABLE', message: refusal });
    if (!set) notFound.push(wanted);
    else if (!assignedIds.has(set.Id) && !toAssign.some((a) => a.id === set.Id))
      toAssign.push({ id: set.Id, label: String(set.Label ?? set.Name) });
  }

  // 2. The writes. The first composite creates the permission set when needed; later ones (more
  // than 25 writes) use its id as a literal.
  const writes: SubRequest[] = [];
  let permissionSetRef: string | null = remediationSet?.Id ?? null;
  const systemBody = Object.fromEntries(systemPermissions.map((p) => [p, true]));
  if (needsOwnSet && !remediationSet) {
    writes.push({
      referenceId: 'permissionSet',
      method: 'POST',
      url: `${DATA_PATH}/sobjects/PermissionSet`,
      body: {
        Name: REMEDIATION_PERMISSION_SET.name,
        Label: REMEDIATION_PERMISSION_SET.label,
        Description:
          'Rights the HubSpot integration user lacked, granted by Sync Doctor. Safe to review and merge into your own permission sets.',
        ...systemBody,
      },
    });
    permissionSetRef = '@{permissionSet.id}';
  } else if (remediationSet && systemPermissions.length > 0) {
    writes.push({
      referenceId: 'systemPermissions',
      method: 'PATCH',
      url: `${DATA_PATH}/sobjects/PermissionSet/${remediationSet.Id}`,
      body: systemBody,
    });
  }
  // The approvals come first: an app the org lacks (INVALID_CROSS_REFERENCE_KEY) fails the first
  // composite, so nothing is written.
  const approved: string[] = [];
  connectedApps.forEach((app, index) => {
    if (approvedApps.has(app.id)) return;
    writes.push({
      referenceId: `approve${index}`,
      method: 'POST',
      url: `${DATA_PATH}/sobjects/SetupEntityAccess`,
      body: { ParentId: permissionSetRef, SetupEntityId: app.id },
    });
    approved.push(app.name);
  });
  // Each row as it will be: the planned rights added to what the set holds; unchanged rows dropped.
  const objectRows = objectRights.flatMap((rights, index) => {
    const existing = existingObjects.get(rights.sobjectType.toLowerCase());
    const body: Record<string, unknown> = {};
    for (const right of OBJECT_RIGHTS) {
      const column = OBJECT_RIGHT_COLUMNS[right];
      body[column] = rights[right] === true || existing?.[column] === true;
    }
    if (existing && Object.entries(body).every(([column, value]) => existing[column] === value))
      return [];
    return [{ index, sobjectType: rights.sobjectType, existing, body }];
  });
  for (const wave of savingWaves(plan.objectPermissions, objectRows)) {
    // The wave's new rows in one DML statement; more than one, an sObject Collections subrequest.
    const created = wave.filter((row) => !row.existing);
    for (let from = 0; from < created.length; from += COLLECTION_MAX_RECORDS) {
      const chunk = created.slice(from, from + COLLECTION_MAX_RECORDS);
      const fields = (row: (typeof chunk)[number]) => ({
        ParentId: permissionSetRef,
        SobjectType: row.sobjectType,
        ...row.body,
      });
      writes.push(
        chunk.length === 1
          ? {
              referenceId: `object${chunk[0]!.index}`,
              method: 'POST',
              url: `${DATA_PATH}/sobjects/ObjectPermissions`,
              body: fields(chunk[0]!),
            }
          : {
              referenceId: `objects${chunk[0]!.index}`,
              method: 'POST',
              url: `${DATA_PATH}/composite/sobjects`,
              body: {
                allOrNone: true,
                records: chunk.map((row) => ({
                  attributes: { type: 'ObjectPermissions' },
                  ...fields(row),
                })),
              },
            },
      );
    }
    for (const row of wave.filter((r) => r.existing))
      writes.push({
        referenceId: `object${row.index}`,
        method: 'PATCH',
        url: `${DATA_PATH}/sobjects/ObjectPermissions/${row.existing!.Id}`,
        body: row.body,
      });
  }
  const objectWrites = objectRows.length;
  let fieldWrites = 0;
  fieldRights.forEach((rights, index) => {
    const existing = existingFields.get(rights.field.toLowerCase());
    const body = {
      PermissionsRead: rights.read || existing?.PermissionsRead === true,
      PermissionsEdit: rights.edit || existing?.PermissionsEdit === true,
    };
    if (existing) {
      if (
        existing.PermissionsRead === body.PermissionsRead &&
        existing.PermissionsEdit === body.PermissionsEdit
      )
        return;
      writes.push({
        referenceId: `field${index}`,
        method: 'PATCH',
        url: `${DATA_PATH}/sobjects/FieldPermissions/${existing.Id}`,
        body,
      });
    } else {
      writes.push({
        referenceId: `field${index}`,
        method: 'POST',
        url: `${DATA_PATH}/sobjects/FieldPermissions`,
        body: {
          ParentId: permissionSetRef,
          SobjectType: rights.sobjectType,
          Field: rights.field,
          ...body,
        },
      });
    }
    fieldWrites += 1;
  });
  const assigned: string[] = [];
  if (needsOwnSet && !(remediationSet && assignedIds.has(remediationSet.Id))) {
    writes.push(assignment('assignRemediation', remediationSet?.Id ?? null, permissionSetRef!));
    assigned.push(REMEDIATION_PERMISSION_SET.label);
  }
  toAssign.forEach((set, index) => {
    writes.push(assignment(`assign${index}`, set.id, set.id));
    assigned.push(set.label);
  });

  let permissionSetId = remediationSet?.Id ?? null;
  for (const pack of packSubRequests(writes)) {
    const resolved = permissionSetId
      ? pack.map((w) =>
          JSON.stringify(w.body ?? null).includes('@{permissionSet.id}')
            ? {
                ...w,
                body: JSON.parse(
                  JSON.stringify(w.body).replaceAll('@{permissionSet.id}', permissionSetId!),
                ),
              }
            : w,
        )
      : pack;
    // In order: collation (the default since API 49.0) may bulkify same-method /sobjects
    // subrequests and run them in any order, and a wave must be saved after the ones it needs.
    const responses = await sendComposite(conn, resolved, {
      allOrNone: true,
      collateSubrequests: false,
      label: 'POST /composite (remediation write)',
    });
    const failure = collectionRefusal(responses) ?? firstFailure(responses);
    if (failure) throw failure;
    if (responses.has('permissionSet'))
      permissionSetId = subResult<{ id: string }>(
        responses.get('permissionSet'),
        'permissionSet',
      ).id;
  }

  return {
    permissionSetId,
    assigned,
    objectPermissions: objectWrites,
    fieldPermissions: fieldWrites,
    notFound,
    connectedApps: approved,
  };
}
