import type { Connection } from 'jsforce';
import { STATUS_OBJECT, type LimitEntry, type Snapshot } from '@sync-doctor/core';
import {
  COMPOSITE_MAX_QUERIES,
  COMPOSITE_MAX_SUBREQUESTS,
  isQueryOperation,
  sendComposite,
  subOutcome,
  type SubRequest,
} from '../composite.js';
import { SalesforceError } from '../errors.js';
import { isUserId } from '../soql.js';
import { sendRest } from '../transport.js';
import { DATA_PATH } from '../version.js';
import {
  CALLER_PERMISSIONS_REFERENCE,
  callerPermissionsSubRequest,
  readCallerPermissions,
  type CallerPermissions,
} from './callerPermissions.js';
import {
  connectedAppsFailure,
  connectedAppsOf,
  connectedAppSubRequests,
  type ConnectedAppsRead,
} from './connectedApps.js';
import { frozenOf, frozenSubRequest, type FrozenRead } from './frozen.js';
import { subRequestOf, type Job, type JobResults, type QueryJob, type QueryPage } from './jobs.js';
import {
  loginHistoryByIdRequest,
  loginHistoryOf,
  loginHistoryOfPage,
  loginHistorySubFailed,
  loginHistorySubRequests,
  type LoginHistoryRead,
} from './loginHistory.js';
import type { CollectOptions } from './options.js';
import {
  lacksSyncErrorsColumn,
  statusReadOf,
  statusSubRequest,
  type RelayedStatusRead,
} from './relayedStatus.js';

/** Composite sub-request budget of the first round: 5 queries (user + 4) and the rest describes and object infos. */
const FIRST_ROUND_QUERIES = 4;
/** The user's id inside the first composite, from the user query's result. */
const USER_REFERENCE = "'@{user.records[0].Id}'";

interface FirstRoundInput {
  user: string;
  options: Pick<CollectOptions, 'relayedStatus' | 'loginHistory' | 'connectedApps'>;
  /** The portal whose relayed status to read (statusPortalOf), undefined for every portal. */
  statusPortal: string | undefined;
  userJob: QueryJob;
  /** The snapshot's other jobs: what fits goes in this round, the rest is handed back. */
  jobs: Job[];
  results: JobResults;
  rounds: { count: number };
}

interface FirstRound {
  userId: string;
  /** The jobs for the later rounds: those that did not fit, and those the answers led to. */
  pending: Job[];
  limits: Record<string, LimitEntry>;
  relayedStatus?: RelayedStatusRead;
  loginHistory?: LoginHistoryRead;
  logins: Snapshot['logins'];
  connectedAppsRead?: ConnectedAppsRead;
  connectedApps: Snapshot['connectedApps'];
  frozenRead?: FrozenRead;
  isFrozen?: boolean;
  /**
   * The caller's own Modify All Data, when the optional composite read it: it sees every object
   * (not every field: field-level security binds it too).
   */
  callerModifiesAllData: boolean;
}

/**
 * Round 1: the user query first, then what fits beside it in one composite, and /limits; in
 * parallel, the optional sections' composite (Login History, HubSpot's connected app, the frozen
 * state, the caller's permissions) and the relayed status where it has no room. The user decides
 * whether anything else means anything: not found, it fails here.
 */
export async function readFirstRound(
  conn: Connection,
  input: FirstRoundInput,
): Promise<FirstRound> {
  const { user, options, statusPortal, userJob, jobs, results, rounds } = input;
  let relayedStatus: RelayedStatusRead | undefined;
  let loginHistory: LoginHistoryRead | undefined;
  let logins: Snapshot['logins'];
  let connectedAppsRead: ConnectedAppsRead | undefined;
  let connectedApps: Snapshot['connectedApps'];
  let frozenRead: FrozenRead | undefined;
  /** Whether Login History's semi-join on the username failed, so it is asked by id (loginHistory.ts). */
  let retryLoginsById = false;
  let isFrozen: boolean | undefined;
  let callerModifiesAllData = false;
  rounds.count += 1;
  const first: { job: Job; sub: SubRequest }[] = [
    { job: userJob, sub: subRequestOf(userJob, 'user', USER_REFERENCE) },
  ];
  const later: Job[] = [];
  let queries = 0;
  let describesTaken = 0;
  for (const [index, job] of jobs.entries()) {
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
  const limits = limitsOutcome.value;
  const responses = compositeOutcome.value;
  if (optionalOutcome.status === 'rejected' && !(optionalOutcome.reason instanceof SalesforceError))
    throw optionalOutcome.reason;
  const optionalResponses =
    optionalOutcome.status === 'fulfilled' ? optionalOutcome.value : undefined;
  const optionalError =
    optionalOutcome.status === 'rejected' ? (optionalOutcome.reason as SalesforceError) : undefined;

  if (optionalComposite.length) {
    // An edition without one of the permission columns costs one more request (and round) per column.
    const permissions: CallerPermissions = optionalResponses
      ? await readCallerPermissions(
          conn,
          optionalResponses.get(CALLER_PERMISSIONS_REFERENCE),
          () => {
            rounds.count += 1;
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

  if (
    statusSub &&
    statusPortal === undefined &&
    relayedStatus &&
    lacksSyncErrorsColumn(relayedStatus)
  )
    relayedStatus = await readStatusWithoutSyncErrors(conn, rounds);

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
  results.rows.user.push(found);
  const userId = found.Id;
  // Whether the user is frozen, from its UserLogin row in the optional composite (frozen.ts).
  if (optionalComposite.length)
    ({ isFrozen, read: frozenRead } = frozenOf(optionalResponses, found.Id, optionalError));
  if (retryLoginsById) {
    // One more request, only when Salesforce refused the semi-join: the documented form, by id.
    rounds.count += 1;
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
  const pending = later;
  for (const { job, sub } of first.slice(1))
    pending.push(...results.settle(job, responses.get(sub.referenceId), sub.referenceId));
  return {
    userId,
    pending,
    limits,
    relayedStatus,
    loginHistory,
    logins,
    connectedAppsRead,
    connectedApps,
    frozenRead,
    isFrozen,
    callerModifiesAllData,
  };
}

/**
 * Every portal's statuses asked again without Sync_Errors__c, after an org whose package predates
 * it refused the query naming it (one portal's read names no columns, so it never needs this): one
 * more request and round, only on such an org, and its statuses read as they are, without sync errors.
 */
async function readStatusWithoutSyncErrors(
  conn: Connection,
  rounds: { count: number },
): Promise<RelayedStatusRead> {
  rounds.count += 1;
  const again = statusSubRequest('relayedStatus', undefined, { withSyncErrors: false });
  try {
    const value = await sendRest<unknown>(conn, {
      method: 'GET',
      url: again.url,
      label: `GET ${STATUS_OBJECT.name} (without Sync_Errors__c)`,
    });
    return statusReadOf({ ok: true, value }, undefined);
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    return statusReadOf({ ok: false, error }, undefined);
  }
}
