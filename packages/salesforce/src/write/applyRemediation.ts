import {
  NEVER_GRANTED_SYSTEM_PERMISSIONS,
  OBJECT_RIGHTS,
  OBJECT_RIGHT_COLUMNS,
  REMEDIATION_PERMISSION_SET as REMEDIATION_SET_NAME,
  REMEDIATION_PERMISSION_SET_LABEL,
  REMEDIATION_SET_SESSION_BASED,
  assignmentRefusal,
  describePermissionSet,
  planGrantRefusal,
  saveWaves,
} from '@sync-doctor/core';
import type { Connection } from 'jsforce';
import {
  firstFailure,
  packSubRequests,
  sendComposite,
  subOutcome,
  subResult,
  type SubRequest,
  type SubResponse,
} from '../composite.js';
import { InputError, SalesforceError } from '../errors.js';
import { isApiName, splitFieldName } from '../collect/describe.js';
import { isUserId, missingColumnFromMessage, queryUrl, soqlList, soqlString } from '../soql.js';
import { sendRest } from '../transport.js';
import { DATA_PATH } from '../version.js';
import { describeRefused, refusedAsJson } from './given.js';

/** The permission set the remediation writes into: the core's name and label (the Apex twin's too). */
export const REMEDIATION_PERMISSION_SET = {
  name: REMEDIATION_SET_NAME,
  label: REMEDIATION_PERMISSION_SET_LABEL,
} as const;

/** Why a session-based Sync_Doctor_Remediation is refused: the core's words, the Apex twin's too. */
export { REMEDIATION_SET_SESSION_BASED };

/** The parts of the core's RemediationPlan that are applied (structurally the same type). */
export interface RemediationPlanInput {
  assignPermissionSets: string[];
  objectPermissions: {
    sobjectType: string;
    read: boolean;
    create: boolean;
    edit: boolean;
    delete: boolean;
    /** Always false in a plan the core made; the applier refuses true (View All too). */
    viewAll: boolean;
    modifyAll: boolean;
    /**
     * Planned objects whose rights need Read on this one in the same permission set (Salesforce
     * refuses, say, Contact's rights in a set without Read on Account). Read only when a row has no
     * `saveWave`: the core's saveWaves then computes every row's wave from it.
     */
    requiredBy?: string[];
    /**
     * When the row is saved (the core's saveWaves, at planning): each wave's new rows by one DML
     * statement, waves in increasing order. An integer, 0 or more; see savingWaves.
     */
    saveWave?: number;
  }[];
  fieldPermissions: { field: string; sobjectType: string; read: boolean; edit: boolean }[];
  systemPermissions: string[];
  /**
   * HubSpot connected apps that admit admin-approved users only: the remediation set is approved
   * for each (a SetupEntityAccess row), which approves the user. `id` is the ConnectedApplication Id.
   */
  connectedApps?: { id: string; name: string }[];
  isEmpty?: boolean;
}

export interface RemediationResult {
  /** The Sync_Doctor_Remediation permission set, or null when the plan needed none. */
  permissionSetId: string | null;
  /** Labels (or names) of the permission sets newly assigned to the user. */
  assigned: string[];
  /** ObjectPermissions rows created or updated. */
  objectPermissions: number;
  fieldPermissions: number;
  /** Permission sets the plan named that the org does not have (HubSpot's package not installed?). */
  notFound: string[];
  /** Names (as the plan gives them) of the connected apps the remediation set is newly approved for. */
  connectedApps: string[];
}

interface Row {
  Id: string;
  [column: string]: unknown;
}

/** Records an sObject Collections request carries at most. */
const COLLECTION_MAX_RECORDS = 200;

/**
 * The ObjectPermissions rows to write (each with the `index` of its grant in the plan) in the order
 * they are saved: waves, each saved by one DML statement after the waves before it. Which wave a
 * row is in is the core's decision (saveWaves: a row after the rows whose Read it needs, rows that
 * need each other together, a chain one wave a link), made when it plans and handed in as each
 * grant's `saveWave`, the one the Apex applier follows too. A plan whose grants do not all carry
 * one (a hand-made plan) has them computed by the same saveWaves from its `requiredBy`. Within a
 * wave the plan's order is kept; a wave with no row to write is skipped.
 */
export function savingWaves<R extends { index: number }>(
  planned: readonly { sobjectType: string; requiredBy?: string[]; saveWave?: number }[],
  rows: readonly R[],
): R[][] {
  const waveOf = planned.every((grant) => grant.saveWave !== undefined)
    ? planned.map((grant) => grant.saveWave!)
    : saveWaves(planned);
  const waves = new Map<number, R[]>();
  for (const row of rows) {
    const wave = waveOf[row.index]!;
    const members = waves.get(wave);
    if (members) members.push(row);
    else waves.set(wave, [row]);
  }
  return [...waves.keys()].sort((a, b) => a - b).map((wave) => waves.get(wave)!);
}

/**
 * The first record an sObject Collections subrequest refused for itself (not one rolled back
 * because of another), as an error; null when every collection saved. Such a subrequest answers
 * 200 with a result per record, which firstFailure does not look into.
 */
function collectionRefusal(responses: Map<string, SubResponse>): SalesforceError | null {
  for (const [referenceId, response] of responses) {
    if (!Array.isArray(response.body)) continue;
    for (const result of response.body as Array<{
      success?: boolean;
      errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
    }>) {
      const error = result?.success === false ? result.errors?.[0] : undefined;
      if (!error || error.statusCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK') continue;
      return new SalesforceError({
        errorCode: String(error.statusCode ?? 'UNKNOWN_ERROR'),
        statusCode: response.httpStatusCode >= 400 ? response.httpStatusCode : 400,
        message: String(error.message ?? 'the record was refused'),
        fields: error.fields,
        request: `composite:${referenceId}`,
      });
    }
  }
  return null;
}

const CASE_SAFE_SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 18-character form of a 15- or 18-character record id, or null when the 18-character form's
 * case-safe suffix does not match its first 15 characters (a mistyped or re-cased id).
 */
function caseSafeId(id: string): string | null {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id.charCodeAt(chunk * 5 + i);
      if (ch >= 65 && ch <= 90) bits |= 1 << i;
    }
    suffix += CASE_SAFE_SUFFIX[bits];
  }
  if (id.length === 18 && id.slice(15) !== suffix) return null;
  return id.slice(0, 15) + suffix;
}

/** A ConnectedApplication Id: key prefix 0H4, 15 or 18 characters (with a matching suffix). */
export function isConnectedAppId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^0H4[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(value) &&
    caseSafeId(value) !== null
  );
}

/**
 * The PermissionSet rows of the sets query, asked again without the never-granted columns the org
 * lacks: a query naming an absent column fails whole (INVALID_FIELD), and an edition without the
 * column has no set that can hold that permission. Salesforce names one absent column per answer,
 * so on the first such answer the PermissionSet describe is read once and the query asked again
 * with only the columns it lists: an org lacking several columns pays two requests, not one per
 * column (the list of never-granted permissions grows; an edition lacking them all would otherwise
 * pay a request for each). Only orgs lacking one pay anything. Should the describe list a column
 * the query still refuses, that one is dropped as named and the query asked again.
 */
async function readSets(
  conn: Connection,
  response: SubResponse | undefined,
  columns: readonly string[],
  soql: (columns: readonly string[]) => string,
): Promise<Row[]> {
  let remaining = [...columns];
  let outcome = subOutcome<{ records: Row[] }>(response, 'sets');
  let described = false;
  for (;;) {
    if (outcome.ok) return outcome.value.records;
    const missing =
      outcome.error.errorCode === 'INVALID_FIELD'
        ? missingColumnFromMessage(outcome.error.message)?.toLowerCase()
        : undefined;
    let fewer = remaining.filter((column) => column.toLowerCase() !== missing);
    if (fewer.length === remaining.length) throw outcome.error;
    if (!described) {
      described = true;
      const describe = await sendRest<{ fields?: { name?: unknown }[] }>(conn, {
        method: 'GET',
        url: `${DATA_PATH}/sobjects/PermissionSet/describe`,
        label: 'GET PermissionSet describe (remediation read)',
      });
      const present = new Set(
        (describe.fields ?? [])
          .map((field) => field.name)
          .filter((name): name is string => typeof name === 'string')
          .map((name) => name.toLowerCase()),
      );
      fewer = fewer.filter((column) => present.has(column.toLowerCase()));
    }
    remaining = fewer;
    try {
      outcome = {
        ok: true,
        value: await sendRest<{ records: Row[] }>(conn, {
          method: 'GET',
          url: queryUrl(soql(remaining)),
          label: 'GET PermissionSet (remediation read)',
        }),
      };
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      outcome = { ok: false, error };
    }
  }
}

function validatePlan(userId: string, plan: RemediationPlanInput): void {
  // What the caller gave is checked before anything is sent; a value that fails is described,
  // not echoed, as it may be a secret in the wrong place (a session id given as the user).
  if (typeof userId !== 'string' || !isUserId(userId))
    throw new InputError(`Not a User id: ${describeRefused(userId)}`);
  if (!plan || !Array.isArray(plan.objectPermissions) || !Array.isArray(plan.fieldPermissions))
    throw new InputError('Not a remediation plan');
  const sets: unknown = plan.assignPermissionSets;
  if (sets !== undefined && !(Array.isArray(sets) && sets.every((s) => typeof s === 'string')))
    throw new InputError('Not a remediation plan: assignPermissionSets must be a list of names');
  for (const o of plan.objectPermissions) {
    const sobjectType: unknown = (o as { sobjectType?: unknown } | null)?.sobjectType;
    if (typeof sobjectType !== 'string' || !isApiName(sobjectType))
      throw new InputError(`Not an object API name: ${describeRefused(sobjectType)}`);
    // As the Apex applier: the wave the core planned, a whole number from 0.
    const wave: unknown = o.saveWave;
    if (wave !== undefined && !(Number.isSafeInteger(wave) && (wave as number) >= 0))
      throw new InputError(
        `The saving wave of ${sobjectType} (saveWave) must be a whole number of 0 or more, not ${refusedAsJson(wave)}`,
      );
  }
  for (const f of plan.fieldPermissions) {
    const { field, sobjectType } = (f ?? {}) as { field?: unknown; sobjectType?: unknown };
    if (typeof sobjectType !== 'string' || !isApiName(sobjectType))
      throw new InputError(
        `Not an object API name (of a field permission): ${describeRefused(sobjectType)}`,
      );
    const split = typeof field === 'string' ? splitFieldName(field) : null;
    if (!split || split.object.toLowerCase() !== sobjectType.toLowerCase())
      throw new InputError(
        `Not a field of ${sobjectType}: ${split ? `'${String(field)}'` : describeRefused(field)}`,
      );
  }
  for (const p of plan.systemPermissions ?? [])
    if (typeof p !== 'string' || !/^Permissions[A-Za-z0-9_]+$/.test(p))
      throw new InputError(`Not a system permission column: ${describeRefused(p)}`);
  // What the core never plans (View All, Modify All, a right without the one it needs, a right that
  // is not true or false, a system permission off its short list) is refused whoever made the plan:
  // the core's rule (grantable.ts), which the Apex applier keeps too.
  const refusal = planGrantRefusal(plan);
  if (refusal) throw new InputError(refusal);
  if (plan.connectedApps !== undefined && !Array.isArray(plan.connectedApps))
    throw new InputError('Not a remediation plan: connectedApps must be a list');
  for (const app of plan.connectedApps ?? []) {
    const id: unknown = (app as { id?: unknown } | null)?.id;
    if (!isConnectedAppId(id))
      throw new InputError(
        `Not a connected app Id (a ConnectedApplication Id starts with 0H4 and has 15 or 18 characters): ${describeRefused(id)}`,
      );
    if (typeof app.name !== 'string' || !app.name.trim())
      throw new InputError(`The connected app ${id} has no name`);
  }
}

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
