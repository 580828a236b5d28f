import { snapshotScope, type Requirements } from '@sync-doctor/core';
import { InputError } from '../errors.js';
import { isUserId, soqlString } from '../soql.js';
import {
  ORGANIZATION_COLUMNS,
  ORGANIZATION_OPTIONAL,
  USER_COLUMNS,
  activityPermissionColumns,
  assignmentColumns,
  userPermissionColumns,
} from './columns.js';
import { ACCOUNT_CHILDREN, isApiName, mayNeedParents, splitFieldName } from './describe.js';
import {
  fieldPermissionJobs,
  objectPermissionJobs,
  type DescribeJob,
  type Job,
  type ObjectInfoJob,
  type QueryJob,
} from './jobs.js';

interface ReadPlan {
  /** The scope's fields ('Contact.Email') and objects: what the core judges. */
  requiredFields: string[];
  requiredObjects: string[];
  /** Objects whose describe is read (a required field's, a custom object's, Account's). */
  describedObjects: string[];
  /** Objects only asked whether they exist (their basic information). */
  undescribedObjects: string[];
  userJob: QueryJob;
  /** Every other read the snapshot starts with, in the order round 1 packs them. */
  jobs: Job[];
}

function uniqueCaseInsensitive(values: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const value of values)
    if (!seen.has(value.toLowerCase())) seen.set(value.toLowerCase(), value);
  return [...seen.values()];
}

/**
 * What to read for `requirements` about `user`; an InputError, before any request, for a field
 * not of the form Object.Field or an object that is no API name.
 */
export function planRead(requirements: Requirements, user: string): ReadPlan {
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
  const jobs: Job[] = [
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
  return { requiredFields, requiredObjects, describedObjects, undescribedObjects, userJob, jobs };
}
