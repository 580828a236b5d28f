import type { Connection } from 'jsforce';
import {
  MUTING_PERMISSION_SET_FIELDS,
  type GroupComponentSetRecord,
  type MutingPermissionSetRecord,
  type PermissionSetAssignmentRecord,
} from '@sync-doctor/core';
import { sendComposite, subOutcome, type SubRequest } from '../composite.js';
import { SalesforceError } from '../errors.js';
import { missingColumnFromMessage, queryUrl, soqlList } from '../soql.js';
import { columnsToDrop } from './columns.js';
import { stripAttributes } from './records.js';

/**
 * The muting permission sets of the user's permission set groups: what they mute is what a group's
 * aggregate permission set lacks, so a finding can name the set to change instead of leaving the
 * admin to hunt for it in Setup. And the groups' regular permission sets: a required set (HubSpot's)
 * held through a group is assigned, so the core does not ask the admin to assign it again.
 *
 * The model (Object Reference): PermissionSetGroupComponent relates a group (PermissionSetGroupId)
 * to each member (PermissionSetId, "Refers to: MutingPermissionSet, PermissionSet"); a
 * MutingPermissionSet has DeveloperName and MasterLabel. Reading the components
 * needs "View Setup and Configuration" (as ObjectPermissions does), MutingPermissionSet that or
 * "Assign Permission Sets" or "Manage Session Permission Set Activations".
 *
 * One composite of two queries, by the group ids the assignments name: the components, and the
 * muting sets among them by a semi-join on the same components. A refusal or a partial answer is
 * `undefined` (not read): the groups then carry no MutingPermissionSets, never [] ("none").
 *
 * The components' query reads each regular member's Name and Label with TYPEOF on the polymorphic
 * PermissionSet (SOQL and SOSL Reference, TYPEOF, API 46.0 and later), as the Apex reader's does:
 * no query more. Its MutingPermissionSet members are left to the second query, which may drop a
 * column the org lacks and ask again; the regular sets' Id, Name and Label every org has.
 *
 * What each set mutes comes in the same query: MutingPermissionSet has the same fields as
 * PermissionSet (Metadata API, MutingPermissionSet; the Field Reference lists its Permissions*
 * booleans), a system permission it mutes reading true. The core's MUTING_PERMISSION_SET_FIELDS
 * name the ones its findings use ("API Enabled", "Edit Tasks", "Edit Events"); a column the edition
 * lacks on PermissionSet is not asked (the caller leaves it out), and one Salesforce still answers
 * INVALID_FIELD for costs one more composite without it: absent, never false ("does not mute").
 */
const MUTING_COMPONENTS_REFERENCE = 'mutingComponents';
const MUTING_SETS_REFERENCE = 'mutingSets';

/** At most this many groups are asked about (a user holds a few; the ids travel in a URL). */
const MAX_GROUPS = 200;

interface MutingSetsRead {
  components: Record<string, unknown>[];
  mutingSets: Record<string, unknown>[];
}

/** The Ids of the groups the assignments are of (PermissionSetGroupId or PermissionSetGroup.Id). */
export function groupIdsOf(assignments: readonly PermissionSetAssignmentRecord[]): string[] {
  const ids = new Set<string>();
  for (const a of assignments) {
    const id = a.PermissionSetGroup?.Id ?? a.PermissionSetGroupId;
    if (a.PermissionSetGroup && typeof id === 'string' && /^[A-Za-z0-9]{15,18}$/.test(id))
      ids.add(id);
  }
  return [...ids];
}

/** A group's regular sets' columns, read with its components (the core's GroupComponentSetRecord). */
const GROUP_SET_COLUMNS: readonly string[] = ['Id', 'Name', 'Label'];

/** The MutingPermissionSet columns asked by default: the core's (names and muted permissions). */
export const MUTING_SET_COLUMNS: readonly string[] = MUTING_PERMISSION_SET_FIELDS;

export function mutingSetSubRequests(
  groupIds: readonly string[],
  columns: readonly string[] = MUTING_SET_COLUMNS,
): SubRequest[] {
  const groups = soqlList(groupIds);
  return [
    {
      referenceId: MUTING_COMPONENTS_REFERENCE,
      method: 'GET',
      url: queryUrl(
        `SELECT PermissionSetGroupId, PermissionSetId, TYPEOF PermissionSet WHEN PermissionSet THEN ${GROUP_SET_COLUMNS.join(', ')} END FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ${groups}`,
      ),
    },
    {
      referenceId: MUTING_SETS_REFERENCE,
      method: 'GET',
      url: queryUrl(
        `SELECT ${columns.join(', ')} FROM MutingPermissionSet WHERE Id IN (SELECT PermissionSetId FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ${groups})`,
      ),
    },
  ];
}

/**
 * Both queries' rows, or undefined when either was refused or not answered in one page.
 * `columns`: the MutingPermissionSet columns to ask (MUTING_SET_COLUMNS less those the org lacks);
 * `absent` hears of each Permissions* column Salesforce answered INVALID_FIELD for, which is then
 * asked again without it (one more composite per such column, none in an org that has them).
 */
export async function readMutingSets(
  conn: Connection,
  groupIds: readonly string[],
  columns: readonly string[] = MUTING_SET_COLUMNS,
  absent: (column: string) => void = () => {},
): Promise<MutingSetsRead | undefined> {
  if (!groupIds.length || groupIds.length > MAX_GROUPS) return undefined;
  let asked = [...columns];
  const optional = new Set(asked.filter((c) => c.startsWith('Permissions')));
  for (;;) {
    let responses;
    try {
      responses = await sendComposite(conn, mutingSetSubRequests(groupIds, asked), {
        label: 'POST /composite (muting permission sets)',
      });
    } catch (error) {
      if (error instanceof SalesforceError) return undefined;
      throw error;
    }
    const pages: Record<string, unknown>[][] = [];
    let retry = false;
    for (const reference of [MUTING_COMPONENTS_REFERENCE, MUTING_SETS_REFERENCE]) {
      const outcome = subOutcome<{ done?: boolean; records?: Record<string, unknown>[] }>(
        responses.get(reference),
        reference,
      );
      if (!outcome.ok && reference === MUTING_SETS_REFERENCE) {
        const missing =
          outcome.error.errorCode === 'INVALID_FIELD'
            ? missingColumnFromMessage(outcome.error.message)
            : null;
        const drop = missing ? columnsToDrop(asked, optional, missing) : [];
        if (drop.length) {
          drop.forEach(absent);
          asked = asked.filter((c) => !drop.includes(c));
          retry = true;
          continue;
        }
      }
      if (!outcome.ok || outcome.value.done === false || !Array.isArray(outcome.value.records))
        return undefined;
      pages.push(outcome.value.records);
    }
    if (!retry) return { components: pages[0]!, mutingSets: pages[1]! };
  }
}

/**
 * Each group assignment's PermissionSetGroup with its MutingPermissionSets ([] when it has none)
 * and its regular PermissionSets (Id, Name, Label; [] when it has none); the assignments unchanged
 * when the components or the muting sets were not read. A group one of whose regular members came
 * without its Name carries no PermissionSets (not read), never a list missing one.
 */
export function withMutingSets(
  assignments: PermissionSetAssignmentRecord[],
  read: MutingSetsRead | undefined,
): PermissionSetAssignmentRecord[] {
  if (!read) return assignments;
  const byId = new Map<string, MutingPermissionSetRecord>();
  for (const row of read.mutingSets)
    if (typeof row.Id === 'string')
      byId.set(row.Id.slice(0, 15), stripAttributes(row) as MutingPermissionSetRecord);
  return assignments.map((assignment) => {
    const group = assignment.PermissionSetGroup;
    const groupId = group?.Id ?? assignment.PermissionSetGroupId;
    if (!group || !groupId) return assignment;
    const muting: MutingPermissionSetRecord[] = [];
    let held: GroupComponentSetRecord[] | undefined = [];
    for (const component of read.components) {
      if (!sameId(component.PermissionSetGroupId, groupId)) continue;
      const memberId = component.PermissionSetId;
      if (typeof memberId !== 'string') continue;
      const set = byId.get(memberId.slice(0, 15));
      if (set) {
        if (!muting.includes(set)) muting.push(set);
        continue;
      }
      const type = recordType(component.PermissionSet);
      if (type === 'MutingPermissionSet') continue;
      // A regular set, or a member whose type the answer does not say: without its Name the
      // group's sets are not read, never a list short of one.
      const member =
        type === 'PermissionSet' ? heldSet(component.PermissionSet, memberId) : undefined;
      if (!member) held = undefined;
      else if (held && !held.some((h) => sameId(h.Id, member.Id))) held.push(member);
    }
    return {
      ...assignment,
      PermissionSetGroup: {
        ...group,
        MutingPermissionSets: muting,
        ...(held ? { PermissionSets: held } : {}),
      },
    };
  });
}

/**
 * The type Salesforce gives a related record (`attributes.type`: 'PermissionSet' or
 * 'MutingPermissionSet' on the components' polymorphic PermissionSet, WHEN-matched or not), as
 * the Apex reader tells them apart by getSObjectType(): no Salesforce document gives the Id
 * prefixes, and a wrong one would drop every regular set a group holds.
 */
function recordType(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const attributes = (value as Record<string, unknown>).attributes;
  if (!attributes || typeof attributes !== 'object') return undefined;
  const type = (attributes as Record<string, unknown>).type;
  return typeof type === 'string' ? type : undefined;
}

/** The component's PermissionSet as TYPEOF answered it ({ Id, Name, Label }), or undefined. */
function heldSet(value: unknown, memberId: string): GroupComponentSetRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const set = value as Record<string, unknown>;
  if (typeof set.Name !== 'string' || !set.Name) return undefined;
  return {
    Id: typeof set.Id === 'string' ? set.Id : memberId,
    Name: set.Name,
    Label: typeof set.Label === 'string' ? set.Label : null,
  };
}

function sameId(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.slice(0, 15) === b.slice(0, 15);
}
