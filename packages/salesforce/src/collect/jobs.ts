import { subOutcome, type SubRequest, type SubResponse } from '../composite.js';
import { chunkForInList, missingColumnFromMessage, queryUrl, soqlList } from '../soql.js';
import { DATA_PATH } from '../version.js';
import {
  FIELD_PERMISSION_COLUMNS,
  OBJECT_PERMISSION_COLUMNS,
  OBJECT_PERMISSION_OPTIONAL,
  columnsToDrop,
} from './columns.js';
import type { DescribeResult } from './describe.js';

/**
 * The snapshot's reads as jobs (a query, a further page, a describe, an object's basic
 * information), each one composite sub-request, and what their answers settle: the rows, the
 * describes, which objects exist and which columns the org lacks.
 */

export type Dataset =
  'user' | 'organization' | 'assignments' | 'objectPermissions' | 'fieldPermissions';

export interface QueryJob {
  kind: 'query';
  dataset: Dataset;
  columns: string[];
  optional: ReadonlySet<string>;
  from: string;
  /** The WHERE clause ('' for none), given the user's id as a SOQL literal or a composite reference in quotes. */
  where: (userIdLiteral: string) => string;
}
export interface PageJob {
  kind: 'page';
  dataset: Dataset;
  url: string;
}
export interface DescribeJob {
  kind: 'describe';
  object: string;
}
/** Whether a required object exists: its basic information (GET /sobjects/X), 404 when it does not. */
export interface ObjectInfoJob {
  kind: 'objectInfo';
  object: string;
}
export type Job = QueryJob | PageJob | DescribeJob | ObjectInfoJob;

export interface QueryPage {
  done?: boolean;
  nextRecordsUrl?: string;
  records?: Record<string, unknown>[];
}

/** Permission sets the user holds, as a semi-join: no second round trip for their ids. */
function assignedParents(userIdLiteral: string): string {
  return `ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${userIdLiteral})`;
}

export function objectPermissionJobs(objects: readonly string[]): QueryJob[] {
  return chunkForInList(objects).map((chunk) => ({
    kind: 'query',
    dataset: 'objectPermissions',
    columns: [...OBJECT_PERMISSION_COLUMNS],
    optional: new Set(OBJECT_PERMISSION_OPTIONAL),
    from: 'ObjectPermissions',
    where: (user) => `${assignedParents(user)} AND SobjectType IN ${soqlList(chunk)}`,
  }));
}

export function fieldPermissionJobs(fields: readonly string[]): QueryJob[] {
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

export function subRequestOf(job: Job, referenceId: string, userIdLiteral: string): SubRequest {
  if (job.kind === 'describe')
    return { referenceId, method: 'GET', url: `${DATA_PATH}/sobjects/${job.object}/describe` };
  if (job.kind === 'objectInfo')
    return { referenceId, method: 'GET', url: `${DATA_PATH}/sobjects/${job.object}` };
  if (job.kind === 'page') return { referenceId, method: 'GET', url: job.url };
  return { referenceId, method: 'GET', url: queryUrl(soqlOf(job, userIdLiteral)) };
}

/** What the jobs' answers have settled so far. */
export class JobResults {
  readonly rows: Record<Dataset, Record<string, unknown>[]> = {
    user: [],
    organization: [],
    assignments: [],
    objectPermissions: [],
    fieldPermissions: [],
  };
  /** By lower-case name; null when the object does not exist. */
  readonly describes = new Map<string, DescribeResult | null>();
  readonly objectInfoFound = new Map<string, boolean>();
  /** Columns the org lacks ('PermissionSetAssignment.PermissionSet.PermissionsEditTask'). */
  readonly absentColumns = new Set<string>();

  /** Applies one sub-response; returns the jobs it leads to. */
  settle(job: Job, response: SubResponse | undefined, referenceId: string): Job[] {
    if (job.kind === 'describe') {
      const outcome = subOutcome<DescribeResult>(response, referenceId);
      if (outcome.ok) this.describes.set(job.object.toLowerCase(), outcome.value);
      else if (outcome.error.errorCode === 'NOT_FOUND' || outcome.error.statusCode === 404)
        this.describes.set(job.object.toLowerCase(), null);
      else throw outcome.error;
      return [];
    }
    if (job.kind === 'objectInfo') {
      const outcome = subOutcome<unknown>(response, referenceId);
      if (outcome.ok) this.objectInfoFound.set(job.object.toLowerCase(), true);
      else if (outcome.error.errorCode === 'NOT_FOUND' || outcome.error.statusCode === 404)
        this.objectInfoFound.set(job.object.toLowerCase(), false);
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
          for (const column of drop) this.absentColumns.add(`${job.from}.${column}`);
          return [{ ...job, columns: job.columns.filter((c) => !drop.includes(c)) }];
        }
      }
      throw outcome.error;
    }
    const page = outcome.value;
    this.rows[job.dataset].push(...(page.records ?? []));
    if (page.done === false && typeof page.nextRecordsUrl === 'string') {
      return [{ kind: 'page', dataset: job.dataset, url: page.nextRecordsUrl }];
    }
    return [];
  }
}
