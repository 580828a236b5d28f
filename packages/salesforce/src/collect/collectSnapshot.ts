import type { Connection } from 'jsforce';
import {
  DEFAULT_REQUIREMENTS,
  type FieldDescribe,
  type FieldPermissionsRecord,
  type ObjectDescribe,
  type ObjectPermissionsRecord,
  type OrganizationRecord,
  type PermissionSetAssignmentRecord,
  type Snapshot,
  type UserRecord,
} from '@sync-doctor/core';
import { apiUsageOf, requestCount, throwIfConnectionAborted } from '../transport.js';
import { fieldFacts, objectFacts, splitFieldName } from './describe.js';
import { readFirstRound } from './firstRound.js';
import { markHiddenFromReader } from './hiddenFromReader.js';
import { JobResults, type Job } from './jobs.js';
import { readLaterRounds } from './laterRounds.js';
import { groupIdsOf, MUTING_SET_COLUMNS, readMutingSets, withMutingSets } from './mutingSets.js';
import {
  integrationUserOf,
  statusPortalOf,
  type CollectOptions,
  type CollectResult,
} from './options.js';
import { planRead } from './plan.js';
import { stripAttributes } from './records.js';

export type { CollectOptions, CollectResult } from './options.js';

/**
 * Reads the snapshot of one user with as few HTTP requests as Salesforce allows:
 * round 1 sends, in parallel, `/limits` and one composite holding the user, the organization,
 * the assignments, the object and field permissions of the assigned permission sets (semi-joins on
 * the user's id by composite reference), the describes of the objects of the required fields and
 * the basic information of the other required objects (whether they exist); a custom object or
 * Account is described instead, as its describe names the objects whose Read its rights need.
 * A later round runs only for what round 1 could not settle: objects reached through lookups (and
 * the describes of custom ones), a master-detail master that is a detail itself,
 * further pages (`nextRecordsUrl`), IN-list chunks and describes beyond one composite's limits,
 * and queries retried without a column the org lacks. The default requirements take 2 or 3.
 */
export async function collectSnapshot(
  conn: Connection,
  options: CollectOptions,
): Promise<CollectResult> {
  const requirements = options.requirements ?? DEFAULT_REQUIREMENTS;
  const user = integrationUserOf(options);
  const statusPortal = statusPortalOf(options.relayedStatus?.portalId);
  const requestsBefore = requestCount(conn);
  const capturedAt = (options.now ?? (() => new Date()))().toISOString();
  const plan = planRead(requirements, user);
  const { requiredFields, requiredObjects, describedObjects, undescribedObjects } = plan;
  const results = new JobResults();
  const rounds = { count: 0 };
  // Columns an earlier read found absent are left out at once (no retry), and stay listed absent.
  const knownAbsent = new Set((options.absentColumns ?? []).map((c) => c.toLowerCase()));
  const jobs = plan.jobs.map((job): Job => {
    if (job.kind !== 'query' || !knownAbsent.size) return job;
    const absent = job.columns.filter(
      (c) => job.optional.has(c) && knownAbsent.has(`${job.from}.${c}`.toLowerCase()),
    );
    for (const column of absent) results.absentColumns.add(`${job.from}.${column}`);
    return absent.length
      ? { ...job, columns: job.columns.filter((c) => !absent.includes(c)) }
      : job;
  });

  const first = await readFirstRound(conn, {
    user,
    options,
    statusPortal,
    userJob: plan.userJob,
    jobs,
    results,
    rounds,
  });
  const userId = first.userId;
  await readLaterRounds(conn, {
    userId,
    pending: first.pending,
    results,
    requiredFields,
    objectsQueried: new Set(requiredObjects.map((o) => o.toLowerCase())),
    describeRequested: new Set(describedObjects.map((o) => o.toLowerCase())),
    rounds,
  });

  // The muting permission sets of the user's groups: one more request, only for a user holding one.
  let assignments = uniqueBy(results.rows.assignments, (r) => String(r.Id)).map(
    (r) => stripAttributes(r) as PermissionSetAssignmentRecord,
  );
  const groupIds = groupIdsOf(assignments);
  if (groupIds.length) {
    rounds.count += 1;
    // What each set mutes, in the same query: the columns the org has on PermissionSet (a muting
    // set has the same fields), so an edition without one costs no retry.
    const mutingColumns = MUTING_SET_COLUMNS.filter(
      (c) => !results.absentColumns.has(`PermissionSetAssignment.PermissionSet.${c}`),
    );
    const read = await readMutingSets(conn, groupIds, mutingColumns, (column) => {
      results.absentColumns.add(`MutingPermissionSet.${column}`);
      rounds.count += 1;
    });
    assignments = withMutingSets(assignments, read);
  }

  const { describes, objectInfoFound } = results;
  const fields: Record<string, FieldDescribe> = {};
  for (const name of requiredFields) {
    const { object, field } = splitFieldName(name)!;
    fields[name] = fieldFacts(describes.get(object.toLowerCase()) ?? null, field);
  }

  const objects: Record<string, ObjectDescribe> = {};
  for (const object of describedObjects)
    objects[object] = objectFacts(describes.get(object.toLowerCase()) ?? null, object);
  for (const object of undescribedObjects)
    objects[object] = { exists: objectInfoFound.get(object.toLowerCase()) === true };

  const reader = await markHiddenFromReader(conn, {
    given: options.reader,
    userId,
    callerModifiesAllData: first.callerModifiesAllData,
    requiredFields,
    fields,
    objects,
    fieldPermissionRows: results.rows.fieldPermissions,
    onRound: () => {
      rounds.count += 1;
    },
  });
  // Lookup targets and masters described for their dependencies: only those that exist.
  const listed = new Set(Object.keys(objects).map((o) => o.toLowerCase()));
  for (const [key, described] of results.describes)
    if (described && !listed.has(key))
      objects[described.name] = objectFacts(described, described.name);
  // The core reads system permissions off the assigned permission sets; say which the org has no column for.
  const permissionColumn = 'PermissionSetAssignment.PermissionSet.';
  const absentPermissions = [...results.absentColumns]
    .filter(
      (c) => c.startsWith(permissionColumn) && !c.slice(permissionColumn.length).includes('.'),
    )
    .map((c) => c.slice(permissionColumn.length))
    .filter((c) => c.startsWith('Permissions'))
    .sort();

  const snapshot: Snapshot = {
    schemaVersion: 1,
    capturedAt,
    organization: results.rows.organization[0]
      ? (stripAttributes(results.rows.organization[0]) as OrganizationRecord)
      : undefined,
    // As the Apex reader (withFrozenFlag): IsFrozen only when the UserLogin row was read.
    user: {
      ...(stripAttributes(results.rows.user[0]!) as UserRecord),
      ...(first.isFrozen === undefined ? {} : { IsFrozen: first.isFrozen }),
    },
    assignments,
    objectPermissions: uniqueBy(
      results.rows.objectPermissions,
      (r) => `${r.ParentId}|${r.SobjectType}`,
    ).map((r) => stripAttributes(r) as ObjectPermissionsRecord),
    fieldPermissions: uniqueBy(
      results.rows.fieldPermissions,
      (r) => `${r.ParentId}|${r.Field}`,
    ).map((r) => stripAttributes(r) as FieldPermissionsRecord),
    fields,
    objects,
    absentPermissions,
    reader,
    limits: first.limits,
    logins: first.logins,
    connectedApps: first.connectedApps,
    // As the Apex reader puts it: the core words what the admin can do from its cause
    // (uncheckedOf), so the CLI, the relay and the report say what the app says.
    frozenRead: first.frozenRead,
  };
  if (!snapshot.frozenRead) delete snapshot.frozenRead;
  if (!snapshot.logins) delete snapshot.logins;
  if (!snapshot.connectedApps) delete snapshot.connectedApps;
  if (!snapshot.organization) delete snapshot.organization;
  if (!snapshot.limits) delete snapshot.limits;
  if (!snapshot.reader) delete snapshot.reader;

  // Reads the collector carries on past ("not readable") may have been cut short by the
  // connection's signal: no snapshot is built from them.
  throwIfConnectionAborted(conn);
  return {
    snapshot,
    apiUsage: apiUsageOf(conn),
    requests: requestCount(conn) - requestsBefore,
    rounds: rounds.count,
    absentColumns: [...results.absentColumns].sort(),
    ...(first.relayedStatus ? { relayedStatus: first.relayedStatus } : {}),
    ...(first.loginHistory ? { loginHistory: first.loginHistory } : {}),
    ...(first.connectedAppsRead ? { connectedApps: first.connectedAppsRead } : {}),
    ...(first.frozenRead ? { frozen: first.frozenRead } : {}),
  };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
