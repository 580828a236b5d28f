import type { Connection } from 'jsforce';
import { isPermissionGovernedObject } from '@sync-doctor/core';
import { packSubRequests, sendComposite, type SubResponse } from '../composite.js';
import { SalesforceError } from '../errors.js';
import { soqlString } from '../soql.js';
import {
  ACCOUNT_CHILDREN,
  fieldFacts,
  isApiName,
  mayNeedParents,
  objectFacts,
  splitFieldName,
} from './describe.js';
import {
  objectPermissionJobs,
  subRequestOf,
  type DescribeJob,
  type Job,
  type JobResults,
} from './jobs.js';

const MAX_ROUNDS = 40;

interface LaterRoundsInput {
  userId: string;
  /** What round 1 left. */
  pending: Job[];
  results: JobResults;
  requiredFields: readonly string[];
  /** Lower-case names of the objects whose ObjectPermissions are asked already. */
  objectsQueried: Set<string>;
  /** Lower-case names of the objects described or asked to be. */
  describeRequested: Set<string>;
  rounds: { count: number };
}

/**
 * The later rounds: everything pending, with the user's id now a literal; once the describes are
 * in, the lookup targets' object permissions (and the describes of custom ones and Account), then
 * the masters the plan adds Read on that are details in turn. Each round is one set of composites
 * sent in parallel; at most MAX_ROUNDS rounds in all.
 */
export async function readLaterRounds(conn: Connection, input: LaterRoundsInput): Promise<void> {
  const { userId, results, requiredFields, objectsQueried, describeRequested, rounds } = input;
  let pending = input.pending;
  let lookupsQueued = false;
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

  while (true) {
    const describesPending = pending.some((job) => job.kind === 'describe');
    if (!lookupsQueued && !describesPending) {
      lookupsQueued = true;
      const targets: string[] = [];
      for (const name of requiredFields) {
        const { object, field } = splitFieldName(name)!;
        const facts = fieldFacts(results.describes.get(object.toLowerCase()) ?? null, field);
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
      for (const described of results.describes.values())
        if (described)
          masters.push(...(objectFacts(described, described.name).masterDetailParents ?? []));
      if (masters.some((m) => ACCOUNT_CHILDREN.has(m.toLowerCase()))) masters.push('Account');
      pending.push(...describeJobs(masters));
    }
    if (pending.length === 0) break;
    if (rounds.count >= MAX_ROUNDS) {
      throw new SalesforceError({
        errorCode: 'TOO_MANY_ROUNDS',
        message: `The snapshot needed more than ${MAX_ROUNDS} round trips; stopped`,
      });
    }
    rounds.count += 1;
    const batch = pending.map((job, index) => ({
      job,
      sub: subRequestOf(job, `r${rounds.count}_${index}`, soqlString(userId)),
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
      pending.push(...results.settle(job, responses.get(sub.referenceId), sub.referenceId));
  }
}
