import type { Connection } from 'jsforce';
import {
  DEFAULT_REQUIREMENTS,
  isPermissionGovernedObject,
  snapshotScope,
  STATUS_OBJECT,
  type FieldDescribe,
  type FieldPermissionsRecord,
  type LimitEntry,
  type ObjectDescribe,
  type ObjectPermissionsRecord,
  type OrganizationRecord,
  type PermissionSetAssignmentRecord,
  type Requirements,
  type Snapshot,
  type UserRecord,
} from '@sync-doctor/core';
import {
  COMPOSITE_MAX_QUERIES,
  COMPOSITE_MAX_SUBREQUESTS,
  isQueryOperation,
  packSubRequests,
  sendComposite,
  subOutcome,
  type SubRequest,
  type SubResponse,
} from '../composite.js';
import { InputError, SalesforceError } from '../errors.js';
import { describeRefused } from '../write/given.js';
import { groupIdsOf, MUTING_SET_COLUMNS, readMutingSets, withMutingSets } from './mutingSets.js';
import {
  chunkForInList,
  isUserId,
  missingColumnFromMessage,
  queryUrl,
  soqlList,
  soqlString,
} from '../soql.js';
import {
  apiUsageOf,
  requestCount,
  sendRest,
  throwIfConnectionAborted,
  type ApiUsage,
} from '../transport.js';
import { DATA_PATH } from '../version.js';
import {
  FIELD_PERMISSION_COLUMNS,
  OBJECT_PERMISSION_COLUMNS,
  OBJECT_PERMISSION_OPTIONAL,
  ORGANIZATION_COLUMNS,
  ORGANIZATION_OPTIONAL,
  USER_COLUMNS,
  activityPermissionColumns,
  userPermissionColumns,
  assignmentColumns,
  columnsToDrop,
} from './columns.js';
import {
  ACCOUNT_CHILDREN,
  fieldFacts,
  isApiName,
  mayNeedParents,
  objectFacts,
  splitFieldName,
  type DescribeResult,
} from './describe.js';
import { stripAttributes } from './records.js';
import {
  loginHistoryByIdRequest,
  loginHistoryOf,
  loginHistoryOfPage,
  loginHistorySubFailed,
  loginHistorySubRequests,
  type LoginHistoryRead,
} from './loginHistory.js';
import {
  connectedAppsFailure,
  connectedAppsOf,
  connectedAppSubRequests,
  type ConnectedAppsRead,
} from './connectedApps.js';
import {
  CALLER_PERMISSIONS_REFERENCE,
  callerPermissionsSubRequest,
  readCallerPermissions,
  type CallerPermissions,
} from './callerPermissions.js';
import {
  isPortalId,
  statusReadOf,
  statusSubRequest,
  type RelayedStatusRead,
} from './relayedStatus.js';
import { readReaderAccess, readReaderIdentity, sameUser } from './reader.js';
import { frozenOf, frozenSubRequest, type FrozenRead } from './frozen.js';

export interface CollectOptions {
  /** Username or User id of the HubSpot integration user. */
  user: string;
  requirements?: Requirements;
  /** The clock, for tests. */
  now?: () => Date;
  /**
   * Also read the relayed HubSpot suspension status (HubSpot_Sync_Status__c): `{}` for every
   * portal's record, `{ portalId }` for one. An org without it, or a user who may not read it,
   * gives `relayedStatus.unavailable`, never a failure. The portal id may be a whole number too, as
   * HubSpot's own payloads and a JSON config carry hub ids (read as its digits); any other value
   * that is not a portal id is an InputError.
   */
  relayedStatus?: { portalId?: string | number };
  /**
   * Read the integration user's Login History (default true): a composite of its own, sent beside
   * the first (the first one's 5 query slots are taken). Without "Manage Users" it is not read and
   * `snapshot.logins` stays absent; never a failure of the collection.
   */
  loginHistory?: boolean;
  /**
   * Read HubSpot's connected app and the user's approvals for it (default true), in the Login
   * History composite when its query slots allow, else in a composite of its own sent beside it:
   * still one round. The caller's permissions are asked in the same composite: without "Customize
   * Application" and either "Modify All Data" or "Manage Connected Apps", or when the org refuses
   * the read, `snapshot.connectedApps` stays absent and `result.connectedApps` says why; never a
   * failure.
   */
  connectedApps?: boolean;
  /**
   * The user this connection reads as (username or User Id), when the caller knows it (the relay
   * its JWT user). Only asked about when the org answers an object or field as absent: Salesforce
   * answers so too for what the reading user may not see, so the collector then reads that user's
   * own rights on them (one composite more) and marks what was hidden from it
   * (`hiddenFromReader`, `snapshot.reader`) instead of calling it absent. Not given: the
   * connection's OAuth identity names the user (one request more). An admin (Modify All Data) sees
   * every object but not the fields its field-level security hides: a field absent from its
   * describe that the integration user's permission sets show is marked hidden from it, after one
   * request that names it (none when no such field).
   */
  reader?: string;
}

export interface CollectResult {
  snapshot: Snapshot;
  /** From the last `Sforce-Limit-Info: api-usage=N/M` header Salesforce sent. */
  apiUsage: ApiUsage | null;
  /** HTTP requests this collection sent (a composite counts once, whatever it holds). */
  requests: number;
  /** How many sequential round trips it took. */
  rounds: number;
  /** Columns this org lacks ('PermissionSet.PermissionsEditTask'); their facts are absent from the snapshot. */
  absentColumns: string[];
  /** Only when `relayedStatus` was asked for. */
  relayedStatus?: RelayedStatusRead;
  /** Whether Login History was read, and why not (absent when `loginHistory: false`). */
  loginHistory?: LoginHistoryRead;
  /** Whether HubSpot's connected app was read, and why not (absent when `connectedApps: false`). */
  connectedApps?: ConnectedAppsRead;
  /**
   * Whether the user's frozen state (UserLogin.IsFrozen, into `snapshot.user.IsFrozen`) was read,
   * and why not: it needs "Manage Users". Unread, `IsFrozen` stays out of the snapshot (unknown,
   * never "not frozen"). Absent when neither optional section is asked (no composite carries it).
   * The snapshot carries it too, as `frozenRead` (as the Apex reader's does).
   */
  frozen?: FrozenRead;
}

type Dataset = 'user' | 'organization' | 'assignments' | 'objectPermissions' | 'fieldPermissions';

interface QueryJob {
  kind: 'query';
  dataset: Dataset;
  columns: string[];
  optional: ReadonlySet<string>;
  from: string;
  /** The WHERE clause ('' for none), given the user's id as a SOQL literal or a composite reference in quotes. */
  where: (userIdLiteral: string) => string;
}
interface PageJob {
  kind: 'page';
  dataset: Dataset;
  url: string;
}
interface DescribeJob {
  kind: 'describe';
  object: string;
}
/** Whether a required object exists: its basic information (GET /sobjects/X), 404 when it does not. */
interface ObjectInfoJob {
  kind: 'objectInfo';
  object: string;
}
type Job = QueryJob | PageJob | DescribeJob | ObjectInfoJob;

interface QueryPage {
  done?: boolean;
  nextRecordsUrl?: string;
  records?: Record<string, unknown>[];
}

/** Composite sub-request budget of the first round: 5 queries (user + 4) and the rest describes and object infos. */
const FIRST_ROUND_QUERIES = 4;
const MAX_ROUNDS = 40;
/** The user's id inside the first composite, from the user query's result. */
const USER_REFERENCE = "'@{user.records[0].Id}'";

/** Permission sets the user holds, as a semi-join: no second round trip for their ids. */
function assignedParents(userIdLiteral: string): string {
  return `ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${userIdLiteral})`;
}

function objectPermissionJobs(objects: readonly string[]): QueryJob[] {
  return chunkForInList(objects).map((chunk) => ({
    kind: 'query',
    dataset: 'objectPermissions',
    columns: [...OBJECT_PERMISSION_COLUMNS],
    optional: new Set(OBJECT_PERMISSION_OPTIONAL),
    from: 'ObjectPermissions',
    where: (user) => `${assignedParents(user)} AND SobjectType IN ${soqlList(chunk)}`,
  }));
}

function fieldPermissionJobs(fields: readonly string[]): QueryJob[] {
  return chunkForInList(fields).map((chunk) => ({
    kind: 'query',
    dataset: 'fieldPermissions',
    columns: [...FIELD_PERMISSION_COLUMNS],
    optional: new Set<string>(),
    from: 'FieldPermissions',
    where: (user) => `${assignedParents(user)} AND Field IN ${soqlList(chunk)}`,
  }));
}

function soqlOf(job: QueryJob, userIdLiteral: string): string {
  const where = job.where(userIdLiteral);
  return `SELECT ${job.columns.join(', ')} FROM ${job.from}${where ? ` WHERE ${where}` : ''}`;
}

function uniqueCaseInsensitive(values: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const value of values)
    if (!seen.has(value.toLowerCase())) seen.set(value.toLowerCase(), value);
  return [...seen.values()];
}

/**
 * The portal whose relayed status to read, as Portal_Id__c holds it (text), or undefined for every
 * portal (none given). HubSpot's hub ids are whole numbers, and its own payloads and a JSON config
 * carry them as numbers: a safe non-negative integer is read as its digits. Any other number (a
 * fraction, a negative, one past 2^53 whose digits JSON.parse has already changed) and any other
 * type is refused, described rather than echoed, as a string that is no portal id is.
 */
function statusPortalOf(given: unknown): string | undefined {
  if (given === undefined || given === null) return undefined;
  if (typeof given === 'number' && Number.isSafeInteger(given) && given >= 0) return String(given);
  const portalId = typeof given === 'string' ? given.trim() : undefined;
  if (portalId === undefined || !isPortalId(portalId))
    throw new InputError(`Not a HubSpot portal id: ${describeRefused(given)}`);
  return portalId;
}

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
  // The options may come from JSON (a config, an API body): a value of another type is the
  // caller's mistake (an InputError), not a bare TypeError from calling .trim() on it.
  const givenUser: unknown = options.user;
  const user = typeof givenUser === 'string' ? givenUser.trim() : '';
  if (!user)
    throw new InputError(
      `collectSnapshot needs the integration user (username or User id)${
        givenUser === undefined || givenUser === null || typeof givenUser === 'string'
          ? ''
          : ` as text, not ${describeRefused(givenUser)}`
      }`,
    );
  const statusPortal = statusPortalOf(options.relayedStatus?.portalId);
  const requestsBefore = requestCount(conn);
  const capturedAt = (options.now ?? (() => new Date()))().toISOString();

  for (const { name } of requirements.fields) {
    if (!splitFieldName(name))
      throw new InputError(`Requirement field '${name}' is not of the form Object.Field`);
  }
  for (const object of requirements.objects) {
    if (!isApiName(object.name))
      throw new InputError(`Requirement object '${object.name}' is not an API name`);
  }
  // What to read is the core's decision (the app's Apex reads the same scope): the required fields,
  // and the requirement objects plus the objects of those fields, whose ObjectPermissions the core
  // judges too (an extra field on an object the requirements do not name needs read on it).
  const scope = snapshotScope(requirements);
  const requiredFields = scope.fields;
  const requiredObjects = scope.objects;
  const fieldObjects = uniqueCaseInsensitive(
    requiredFields.map((name) => splitFieldName(name)!.object),
  );
  // Objects without a required field are not described, their basic information says they exist;
  // unless their describe may name objects whose Read their rights need (a custom object's masters,
  // Account's Person Accounts): a describe instead, the same one sub-request. Account is described
  // too when the plan may grant it Read for Contact, Opportunity or Contract.
  const withoutFields = requiredObjects.filter(
    (o) => !fieldObjects.some((f) => f.toLowerCase() === o.toLowerCase()),
  );
  const describedObjects = [...fieldObjects, ...withoutFields.filter(mayNeedParents)];
  const undescribedObjects = withoutFields.filter((o) => !mayNeedParents(o));
  if (
    !describedObjects.some((o) => o.toLowerCase() === 'account') &&
    requiredObjects.some((o) => ACCOUNT_CHILDREN.has(o.toLowerCase()))
  )
    describedObjects.push('Account');
  const assignment = assignmentColumns([
    ...requirements.systemPermissions.filter(isApiName),
    ...activityPermissionColumns(requiredObjects),
    ...userPermissionColumns(requirements.objects),
  ]);

  const userJob: QueryJob = {
    kind: 'query',
    dataset: 'user',
    columns: [...USER_COLUMNS],
    optional: new Set(),
    from: 'User',
    where: () => (isUserId(user) ? `Id = ${soqlString(user)}` : `Username = ${soqlString(user)}`),
  };
  let pending: Job[] = [
    {
      kind: 'query',
      dataset: 'organization',
      columns: [...ORGANIZATION_COLUMNS],
      optional: new Set(ORGANIZATION_OPTIONAL),
      from: 'Organization',
      where: () => '',
    },
    {
      kind: 'query',
      dataset: 'assignments',
      columns: assignment.columns,
      optional: new Set(assignment.optional),
      from: 'PermissionSetAssignment',
      where: (userId) => `AssigneeId = ${userId}`,
    },
    ...objectPermissionJobs(requiredObjects),
    ...fieldPermissionJobs(requiredFields),
    ...describedObjects.map((object): DescribeJob => ({ kind: 'describe', object })),
    ...undescribedObjects.map((object): ObjectInfoJob => ({ kind: 'objectInfo', object })),
  ];

  const rows: Record<Dataset, Record<string, unknown>[]> = {
    user: [],
    organization: [],
    assignments: [],
    objectPermissions: [],
    fieldPermissions: [],
  };
  const describes = new Map<string, DescribeResult | null>();
  const describeRequested = new Set(describedObjects.map((o) => o.toLowerCase()));
  /** Describes of objects the plan may put rights on whose dependencies only their describe shows. */
  const describeJobs = (names: Iterable<string>): DescribeJob[] => {
    const jobs: DescribeJob[] = [];
    for (const name of names) {
      if (!isApiName(name) || !mayNeedParents(name) || describeRequested.has(name.toLowerCase()))
        continue;
      describeRequested.add(name.toLowerCase());
      jobs.push({ kind: 'describe', object: name });
    }
    return jobs;
  };
  const objectInfoFound = new Map<string, boolean>();
  const objectsQueried = new Set(requiredObjects.map((o) => o.toLowerCase()));
  const absentColumns = new Set<string>();
  let limits: Record<string, LimitEntry> | undefined;
  let lookupsQueued = false;
  let userId: string | undefined;
  let rounds = 0;
  let relayedStatus: RelayedStatusRead | undefined;
  let loginHistory: LoginHistoryRead | undefined;
  let logins: Snapshot['logins'];
  let connectedAppsRead: ConnectedAppsRead | undefined;
  let connectedApps: Snapshot['connectedApps'];
  let frozenRead: FrozenRead | undefined;
  /** Whether Login History's semi-join on the username failed, so it is asked by id (loginHistory.ts). */
  let retryLoginsById = false;
  let isFrozen: boolean | undefined;
  /**
   * The caller's own Modify All Data, when the optional composite read it: it sees every object
   * (not every field: field-level security binds it too).
   */
  let callerModifiesAllData = false;

  /** Applies one sub-response; returns the jobs it leads to. */
  const settle = (job: Job, response: SubResponse | undefined, referenceId: string): Job[] => {
    if (job.kind === 'describe') {
      const outcome = subOutcome<DescribeResult>(response, referenceId);
      if (outcome.ok) describes.set(job.object.toLowerCase(), outcome.value);
      else if (outcome.error.errorCode === 'NOT_FOUND' || outcome.error.statusCode === 404)
        describes.set(job.object.toLowerCase(), null);
      else throw outcome.error;
      return [];
    }
    if (job.kind === 'objectInfo') {
      const outcome = subOutcome<unknown>(response, referenceId);
      if (outcome.ok) objectInfoFound.set(job.object.toLowerCase(), true);
      else if (outcome.error.errorCode === 'NOT_FOUND' || outcome.error.statusCode === 404)
        objectInfoFound.set(job.object.toLowerCase(), false);
      else throw outcome.error;
      return [];
    }
    const outcome = subOutcome<QueryPage>(response, referenceId);
    if (!outcome.ok) {
      const missing =
        job.kind === 'query' && outcome.error.errorCode === 'INVALID_FIELD'
          ? missingColumnFromMessage(outcome.error.message)
          : null;
      if (job.kind === 'query' && missing) {
        const drop = columnsToDrop(job.columns, job.optional, missing);
        if (drop.length > 0) {
          for (const column of drop) absentColumns.add(`${job.from}.${column}`);
          return [{ ...job, columns: job.columns.filter((c) => !drop.includes(c)) }];
        }
      }
      throw outcome.error;
    }
    const page = outcome.value;
    rows[job.dataset].push(...(page.records ?? []));
    if (page.done === false && typeof page.nextRecordsUrl === 'string') {
      return [{ kind: 'page', dataset: job.dataset, url: page.nextRecordsUrl }];
    }
    return [];
  };

  const subRequestOf = (job: Job, referenceId: string, userIdLiteral: string): SubRequest => {
    if (job.kind === 'describe')
      return { referenceId, method: 'GET', url: `${DATA_PATH}/sobjects/${job.object}/describe` };
    if (job.kind === 'objectInfo')
      return { referenceId, method: 'GET', url: `${DATA_PATH}/sobjects/${job.object}` };
    if (job.kind === 'page') return { referenceId, method: 'GET', url: job.url };
    return { referenceId, method: 'GET', url: queryUrl(soqlOf(job, userIdLiteral)) };
  };

  // Round 1: the user query first, then what fits beside it in one composite, and /limits.
  {
    rounds += 1;
    const first: { job: Job; sub: SubRequest }[] = [
      { job: userJob, sub: subRequestOf(userJob, 'user', USER_REFERENCE) },
    ];
    const later: Job[] = [];
    let queries = 0;
    let describesTaken = 0;
    for (const [index, job] of pending.entries()) {
      const isQuery = job.kind === 'query' || job.kind === 'page';
      const fits = isQuery
        ? queries < FIRST_ROUND_QUERIES
        : describesTaken < 25 - 1 - FIRST_ROUND_QUERIES;
      if (!fits) {
        later.push(job);
        continue;
      }
      if (isQuery) queries += 1;
      else describesTaken += 1;
      first.push({ job, sub: subRequestOf(job, `r1_${index}`, USER_REFERENCE) });
    }
    // The relayed status rides in this composite when it has room: one portal's record by external
    // id is no query operation, so it fits beside 5 queries; every portal's records take a query
    // slot, which the default requirements fill, so then it goes as a request of its own, in parallel.
    const statusSub = options.relayedStatus
      ? statusSubRequest('relayedStatus', statusPortal)
      : undefined;
    const statusInComposite =
      statusSub !== undefined &&
      first.length < COMPOSITE_MAX_SUBREQUESTS &&
      (!isQueryOperation(statusSub) || queries < FIRST_ROUND_QUERIES);
    // Login History and HubSpot's connected app go in one composite of their own, in parallel,
    // with the one query of the caller's permissions that decides both (callerPermissions.ts) and
    // the user's UserLogin row (frozen.ts, as the Apex reader reads it). Each names the user by id
    // or by a semi-join on the username, so none waits for a lookup nor fails with another (a
    // caller without Manage Users gets no UserLogin row): 5 query slots, so the default
    // requirements take 3 requests in one round. The status query rides in it when a slot is left
    // (a section left out), so it costs no request of its own.
    const loginSubs = options.loginHistory === false ? [] : loginHistorySubRequests(user);
    const appSubs = options.connectedApps === false ? [] : connectedAppSubRequests(user);
    const optionalComposite =
      loginSubs.length || appSubs.length
        ? [callerPermissionsSubRequest(), frozenSubRequest(user), ...loginSubs, ...appSubs]
        : [];
    const statusInOptional =
      statusSub !== undefined &&
      !statusInComposite &&
      optionalComposite.length > 0 &&
      optionalComposite.length < COMPOSITE_MAX_SUBREQUESTS &&
      (!isQueryOperation(statusSub) ||
        optionalComposite.filter(isQueryOperation).length < COMPOSITE_MAX_QUERIES);
    if (statusSub && statusInOptional) optionalComposite.push(statusSub);
    const [compositeOutcome, limitsOutcome, statusOutcome, optionalOutcome] =
      await Promise.allSettled([
        sendComposite(
          conn,
          [...first.map((f) => f.sub), ...(statusInComposite && statusSub ? [statusSub] : [])],
          { label: 'POST /composite (snapshot)' },
        ),
        sendRest<Record<string, LimitEntry>>(conn, {
          method: 'GET',
          url: `${DATA_PATH}/limits`,
          label: 'GET /limits',
        }),
        statusSub && !statusInComposite && !statusInOptional
          ? sendRest<unknown>(conn, {
              method: 'GET',
              url: statusSub.url,
              label: `GET ${STATUS_OBJECT.name}`,
            })
          : Promise.resolve(undefined),
        optionalComposite.length
          ? sendComposite(conn, optionalComposite, {
              label: 'POST /composite (login history, connected app)',
            })
          : Promise.resolve(undefined),
      ]);
    if (compositeOutcome.status === 'rejected') throw compositeOutcome.reason;
    if (limitsOutcome.status === 'rejected') throw limitsOutcome.reason;
    limits = limitsOutcome.value;
    const responses = compositeOutcome.value;
    if (
      optionalOutcome.status === 'rejected' &&
      !(optionalOutcome.reason instanceof SalesforceError)
    )
      throw optionalOutcome.reason;
    const optionalResponses =
      optionalOutcome.status === 'fulfilled' ? optionalOutcome.value : undefined;
    const optionalError =
      optionalOutcome.status === 'rejected'
        ? (optionalOutcome.reason as SalesforceError)
        : undefined;

    if (optionalComposite.length) {
      // An edition without one of the permission columns costs one more request (and round) per column.
      const permissions: CallerPermissions = optionalResponses
        ? await readCallerPermissions(
            conn,
            optionalResponses.get(CALLER_PERMISSIONS_REFERENCE),
            () => {
              rounds += 1;
            },
          )
        : { ok: false, error: optionalError! };
      callerModifiesAllData = permissions.ok && permissions.held.has('PermissionsModifyAllData');
      if (loginSubs.length) {
        if (optionalResponses) {
          ({ logins, read: loginHistory } = loginHistoryOf(optionalResponses, permissions));
          // A semi-join on the username that Salesforce refused: asked again by id, below.
          retryLoginsById =
            !isUserId(user) &&
            loginHistory.read === false &&
            loginHistory.cause === 'error' &&
            permissions.ok &&
            loginHistorySubFailed(optionalResponses);
        } else
          loginHistory = {
            read: false,
            cause: 'error',
            errorCode: optionalError!.errorCode,
            message: `Login History not read: ${optionalError!.message}`,
          };
      }
      if (appSubs.length) {
        if (optionalResponses)
          ({ section: connectedApps, read: connectedAppsRead } = connectedAppsOf(
            optionalResponses,
            permissions,
          ));
        else connectedAppsRead = connectedAppsFailure(optionalError!);
      }
    }
    if (statusSub) {
      const sideOutcome = statusInOptional ? optionalOutcome : undefined;
      if (statusInComposite)
        relayedStatus = statusReadOf(
          subOutcome<unknown>(responses.get(statusSub.referenceId), statusSub.referenceId),
          statusPortal,
        );
      else if (sideOutcome)
        relayedStatus =
          sideOutcome.status === 'fulfilled' && sideOutcome.value
            ? statusReadOf(
                subOutcome<unknown>(
                  sideOutcome.value.get(statusSub.referenceId),
                  statusSub.referenceId,
                ),
                statusPortal,
              )
            : statusReadOf(
                {
                  ok: false,
                  error: (sideOutcome as PromiseRejectedResult).reason as SalesforceError,
                },
                statusPortal,
              );
      else if (statusOutcome.status === 'fulfilled')
        relayedStatus = statusReadOf({ ok: true, value: statusOutcome.value }, statusPortal);
      else if (statusOutcome.reason instanceof SalesforceError)
        relayedStatus = statusReadOf({ ok: false, error: statusOutcome.reason }, statusPortal);
      else throw statusOutcome.reason;
    }

    // The user decides whether anything else means anything.
    const userOutcome = subOutcome<QueryPage>(responses.get('user'), 'user');
    if (!userOutcome.ok) throw userOutcome.error;
    const found = userOutcome.value.records?.[0];
    if (!found || typeof found.Id !== 'string') {
      throw new SalesforceError({
        errorCode: 'USER_NOT_FOUND',
        message: `No user ${isUserId(user) ? 'with id' : 'with username'} '${user}' in this org`,
        request: 'composite:user',
      });
    }
    rows.user.push(found);
    userId = found.Id;
    // Whether the user is frozen, from its UserLogin row in the optional composite (frozen.ts).
    if (optionalComposite.length)
      ({ isFrozen, read: frozenRead } = frozenOf(optionalResponses, found.Id, optionalError));
    if (retryLoginsById) {
      // One more request, only when Salesforce refused the semi-join: the documented form, by id.
      rounds += 1;
      try {
        const page = await sendRest<{ records?: Record<string, unknown>[] }>(conn, {
          ...loginHistoryByIdRequest(found.Id),
          label: 'GET LoginHistory',
        });
        ({ logins, read: loginHistory } = loginHistoryOfPage(page));
      } catch (error) {
        if (!(error instanceof SalesforceError)) throw error;
        loginHistory = {
          read: false,
          cause: 'error',
          ...(error.errorCode ? { errorCode: error.errorCode } : {}),
          message: `Login History not read: ${error.message}`,
        };
      }
    }
    pending = later;
    for (const { job, sub } of first.slice(1))
      pending.push(...settle(job, responses.get(sub.referenceId), sub.referenceId));
  }

  // Later rounds: everything pending, with the user's id now a literal.
  while (true) {
    const describesPending = pending.some((job) => job.kind === 'describe');
    if (!lookupsQueued && !describesPending) {
      lookupsQueued = true;
      const targets: string[] = [];
      for (const name of requiredFields) {
        const { object, field } = splitFieldName(name)!;
        const facts = fieldFacts(describes.get(object.toLowerCase()) ?? null, field);
        for (const target of facts.referenceTo ?? []) {
          if (
            isApiName(target) &&
            !objectsQueried.has(target.toLowerCase()) &&
            isPermissionGovernedObject(target)
          ) {
            objectsQueried.add(target.toLowerCase());
            targets.push(target);
          }
        }
      }
      pending.push(...objectPermissionJobs(targets));
      // In the same round: a custom target's describe names its masters, and Account's (for a
      // target the plan grants Read that needs Account's) says whether Person Accounts are on.
      pending.push(
        ...describeJobs([
          ...targets,
          ...(targets.some((t) => ACCOUNT_CHILDREN.has(t.toLowerCase())) ? ['Account'] : []),
        ]),
      );
    }
    if (lookupsQueued && !describesPending) {
      // A master the plan adds Read on may be a detail in turn: describe it as well (rare: another round).
      // A standard master that needs Account's Read (a detail of Opportunity) needs Account's describe
      // too, for its Person Accounts, as a lookup target does.
      const masters: string[] = [];
      for (const described of describes.values())
        if (described)
          masters.push(...(objectFacts(described, described.name).masterDetailParents ?? []));
      if (masters.some((m) => ACCOUNT_CHILDREN.has(m.toLowerCase()))) masters.push('Account');
      pending.push(...describeJobs(masters));
    }
    if (pending.length === 0) break;
    if (rounds >= MAX_ROUNDS) {
      throw new SalesforceError({
        errorCode: 'TOO_MANY_ROUNDS',
        message: `The snapshot needed more than ${MAX_ROUNDS} round trips; stopped`,
      });
    }
    rounds += 1;
    const batch = pending.map((job, index) => ({
      job,
      sub: subRequestOf(job, `r${rounds}_${index}`, soqlString(userId!)),
    }));
    pending = [];
    const packs = packSubRequests(batch.map((b) => b.sub));
    const outcomes = await Promise.allSettled(
      packs.map((pack) => sendComposite(conn, pack, { label: 'POST /composite (snapshot)' })),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    const responses = new Map<string, SubResponse>();
    for (const outcome of outcomes)
      if (outcome.status === 'fulfilled') for (const [k, v] of outcome.value) responses.set(k, v);
    for (const { job, sub } of batch)
      pending.push(...settle(job, responses.get(sub.referenceId), sub.referenceId));
  }

  // The muting permission sets of the user's groups: one more request, only for a user holding one.
  let assignments = uniqueBy(rows.assignments, (r) => String(r.Id)).map(
    (r) => stripAttributes(r) as PermissionSetAssignmentRecord,
  );
  const groupIds = groupIdsOf(assignments);
  if (groupIds.length) {
    rounds += 1;
    // What each set mutes, in the same query: the columns the org has on PermissionSet (a muting
    // set has the same fields), so an edition without one costs no retry.
    const mutingColumns = MUTING_SET_COLUMNS.filter(
      (c) => !absentColumns.has(`PermissionSetAssignment.PermissionSet.${c}`),
    );
    const read = await readMutingSets(conn, groupIds, mutingColumns, (column) => {
      absentColumns.add(`MutingPermissionSet.${column}`);
      rounds += 1;
    });
    assignments = withMutingSets(assignments, read);
  }

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

  // Absent, or hidden from the user who read? Salesforce leaves out of a describe the fields the
  // reader's field-level security hides, an admin's too: Modify All Data and View All Data give Read
  // on every object but not on every field. Asked only when something was absent.
  const absentObjects = Object.keys(objects).filter((o) => !objects[o]!.exists);
  const absentFields = requiredFields.filter((name) => {
    const object = splitFieldName(name)!.object;
    return fields[name]!.exists === false && objects[object]?.exists !== false;
  });
  // A field the integration user's permission sets give Read or Edit on exists: Salesforce keeps
  // FieldPermissions rows only for fields that do. Absent from the describe, it was hidden from the
  // reader, whoever that is (not the integration user itself, which would have seen it).
  const permitted = new Set(
    rows.fieldPermissions
      .filter((r) => r.PermissionsRead === true || r.PermissionsEdit === true)
      .map((r) => String(r.Field).toLowerCase()),
  );
  const provenFields = absentFields.filter((name) => permitted.has(name.toLowerCase()));
  let reader: Snapshot['reader'];
  const hideField = (name: string, by: NonNullable<Snapshot['reader']>) => {
    fields[name] = { ...fields[name]!, hiddenFromReader: true };
    reader = by;
  };
  const onRound = () => {
    rounds += 1;
  };
  if (callerModifiesAllData) {
    // It reads every object: an absent object or a field no permission set shows is absent. A field
    // the integration user's sets show was hidden by the admin's own field-level security: only who
    // the admin is is asked (one request, none when nothing was so hidden).
    if (provenFields.length) {
      const identity = await readReaderIdentity(conn, options.reader, onRound);
      if (identity?.Id && !sameUser(identity.Id, userId!))
        for (const name of provenFields) hideField(name, identity);
    }
  } else if (absentObjects.length || absentFields.length) {
    const access = await readReaderAccess(conn, {
      reader: options.reader,
      integrationUserId: userId!,
      objects: absentObjects,
      fields: absentFields,
      onRound,
    });
    if (access && !access.isIntegrationUser) {
      if (!access.readsAllObjects)
        for (const object of absentObjects)
          if (!access.objects.has(object.toLowerCase())) {
            objects[object] = { exists: false, hiddenFromReader: true };
            reader = access.reader;
            for (const name of requiredFields)
              if (splitFieldName(name)!.object.toLowerCase() === object.toLowerCase())
                fields[name] = { ...fields[name]!, hiddenFromReader: true };
          }
      // A reader with fewer rights cannot tell a field it may not read from one that does not exist;
      // an admin (Read on every object) misses only fields its field-level security hides, and one
      // no permission set of the integration user shows is reported absent, as before: the
      // integration user cannot use it either way.
      for (const name of absentFields)
        if (
          provenFields.includes(name) ||
          (!access.readsAllObjects && !access.fields.has(name.toLowerCase()))
        )
          hideField(name, access.reader);
    }
  }
  // Lookup targets and masters described for their dependencies: only those that exist.
  const listed = new Set(Object.keys(objects).map((o) => o.toLowerCase()));
  for (const [key, described] of describes)
    if (described && !listed.has(key))
      objects[described.name] = objectFacts(described, described.name);
  // The core reads system permissions off the assigned permission sets; say which the org has no column for.
  const permissionColumn = 'PermissionSetAssignment.PermissionSet.';
  const absentPermissions = [...absentColumns]
    .filter(
      (c) => c.startsWith(permissionColumn) && !c.slice(permissionColumn.length).includes('.'),
    )
    .map((c) => c.slice(permissionColumn.length))
    .filter((c) => c.startsWith('Permissions'))
    .sort();

  const snapshot: Snapshot = {
    schemaVersion: 1,
    capturedAt,
    organization: rows.organization[0]
      ? (stripAttributes(rows.organization[0]) as OrganizationRecord)
      : undefined,
    // As the Apex reader (withFrozenFlag): IsFrozen only when the UserLogin row was read.
    user: {
      ...(stripAttributes(rows.user[0]!) as UserRecord),
      ...(isFrozen === undefined ? {} : { IsFrozen: isFrozen }),
    },
    assignments,
    objectPermissions: uniqueBy(
      rows.objectPermissions,
      (r) => `${r.ParentId}|${r.SobjectType}`,
    ).map((r) => stripAttributes(r) as ObjectPermissionsRecord),
    fieldPermissions: uniqueBy(rows.fieldPermissions, (r) => `${r.ParentId}|${r.Field}`).map(
      (r) => stripAttributes(r) as FieldPermissionsRecord,
    ),
    fields,
    objects,
    absentPermissions,
    reader,
    limits,
    logins,
    connectedApps,
    // As the Apex reader puts it: the core words what the admin can do from its cause
    // (uncheckedOf), so the CLI, the relay and the report say what the app says.
    frozenRead,
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
    rounds,
    absentColumns: [...absentColumns].sort(),
    ...(relayedStatus ? { relayedStatus } : {}),
    ...(loginHistory ? { loginHistory } : {}),
    ...(connectedAppsRead ? { connectedApps: connectedAppsRead } : {}),
    ...(frozenRead ? { frozen: frozenRead } : {}),
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
