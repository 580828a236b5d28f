/** What every rule module shares while one diagnosis is computed. */
import type { FieldDescribe, ObjectDescribe, Snapshot } from '../snapshot/types.js';
import type { Requirements } from '../requirements/types.js';
import type { Finding } from './types.js';
import { indexSources, type PermissionSource, type SourceIndex } from './sources.js';
import { joinList, quoteAll } from './text.js';

export interface SystemGrant {
  granted: boolean;
  /** Labels of the active sources granting it. */
  by: string[];
  /** Inactive sources that would grant it, with the reason they do not. */
  inactive: { label: string; because: string }[];
  /** The org has no such permission (no PermissionSet column): not granted, but not checkable either. */
  absent: boolean;
}

export interface Context {
  snapshot: Snapshot;
  requirements: Requirements;
  /** "'hubspot@acme.com'" or 'the integration user'. */
  who: string;
  /** "'relay@acme.com'" or 'the user who read the org': whom objects and fields were hidden from. */
  reader: string;
  sources: SourceIndex;
  /** False when the snapshot has no assignments: nothing about permissions can be judged. */
  permissionsKnown: boolean;
  system(permission: string): SystemGrant;
  /** The describe of 'Object.Field', matched case-insensitively; undefined when absent. */
  describe(field: string): FieldDescribe | undefined;
  /**
   * false when the snapshot says the org has no such object; undefined when it does not say, or
   * when the object was hidden from the user who read the org (see hiddenFromReader).
   */
  objectExists(name: string): boolean | undefined;
  /**
   * Whether the user who read the org could not see this object or field ('Contact',
   * 'Contact.Tier__c'), so that its absence from the snapshot is no evidence that it does not exist.
   */
  hiddenFromReader(name: string): boolean;
  /** The snapshot's describe facts of an object, matched case-insensitively; undefined when absent. */
  objectFacts(name: string): ObjectDescribe | undefined;
  /** The describe's own spelling of 'Object.Field' (Salesforce's canonical case), or undefined. */
  canonicalField(field: string): string | undefined;
  add(finding: Finding): void;
  findings: Finding[];
  /** Permission set Ids a finding already explains (so they are not reported twice). */
  explainedSources: Set<string>;
}

export function createContext(snapshot: Snapshot, requirements: Requirements): Context {
  const sources = indexSources(snapshot);
  const cache = new Map<string, SystemGrant>();
  const findings: Finding[] = [];
  let canonicalIndex: Map<string, string> | undefined;
  const absentPermissions = new Set((snapshot.absentPermissions ?? []).map((p) => p.toLowerCase()));
  const objectExistence = new Map<string, boolean>();
  const objectFacts = new Map<string, ObjectDescribe>();
  for (const [name, facts] of Object.entries(snapshot.objects ?? {}))
    if (facts) {
      // Hidden from whoever read the org: whether it exists is not known (the one place this is decided).
      if (facts.hiddenFromReader !== true)
        objectExistence.set(name.toLowerCase(), facts.exists !== false);
      objectFacts.set(name.toLowerCase(), facts);
    }
  return {
    snapshot,
    requirements,
    who: snapshot.user?.Username ? `'${snapshot.user.Username}'` : 'the integration user',
    reader: snapshot.reader?.Username
      ? `'${snapshot.reader.Username}'`
      : 'the user who read the org',
    sources,
    permissionsKnown: snapshot.assignments != null,
    findings,
    explainedSources: new Set(),
    add: (finding) => void findings.push(finding),
    describe(field) {
      const key = this.canonicalField(field);
      return key === undefined ? undefined : snapshot.fields?.[key];
    },
    objectExists(name) {
      return objectExistence.get(name.toLowerCase());
    },
    objectFacts(name) {
      return objectFacts.get(name.toLowerCase());
    },
    hiddenFromReader(name) {
      const dot = name.indexOf('.');
      if (dot < 0) return objectFacts.get(name.toLowerCase())?.hiddenFromReader === true;
      if (objectFacts.get(name.slice(0, dot).toLowerCase())?.hiddenFromReader === true) return true;
      return this.describe(name)?.hiddenFromReader === true;
    },
    canonicalField(field) {
      const fields = snapshot.fields;
      if (!fields) return undefined;
      if (Object.prototype.hasOwnProperty.call(fields, field)) return field;
      if (!canonicalIndex) {
        canonicalIndex = new Map();
        for (const key of Object.keys(fields)) canonicalIndex.set(key.toLowerCase(), key);
      }
      return canonicalIndex.get(field.toLowerCase());
    },
    system(permission) {
      let grant = cache.get(permission);
      if (!grant) {
        grant = {
          granted: false,
          by: [],
          inactive: [],
          absent: absentPermissions.has(permission.toLowerCase()),
        };
        for (const source of sources.list) {
          if ((source.record as Record<string, unknown>)[permission] !== true) continue;
          if (source.active) grant.by.push(source.label);
          else grant.inactive.push({ label: source.label, because: source.inactiveBecause ?? '' });
        }
        grant.granted = grant.by.length > 0;
        cache.set(permission, grant);
      }
      return grant;
    },
  };
}

/** " (Permission set: X would grant it, but its assignment expired on ...)" or ''. */
export function inactiveHint(inactive: readonly { label: string; because: string }[]): string {
  if (inactive.length === 0) return '';
  return ` ${inactive.map((i) => `${i.label} would grant it, but ${i.because}.`).join(' ')}`;
}

/**
 * What a group's muting permission sets do to one system permission ('PermissionsEditTask'), when
 * the snapshot read that column on every one of them (MUTING_PERMISSION_SET_FIELDS): the labels of
 * those that mute it ([] = none does). undefined when not read (no permission asked, the sets or the
 * column not read): the group's sets may each mute it.
 */
function mutersOf(g: PermissionSource, permission: string | undefined): string[] | undefined {
  const records = g.assignment.PermissionSetGroup?.MutingPermissionSets;
  if (!permission || !g.mutingSets || !Array.isArray(records)) return undefined;
  const columns = records.map((r) => (r as Record<string, unknown>)[permission]);
  if (!columns.every((c) => typeof c === 'boolean')) return undefined;
  return g.mutingSets.filter((_, i) => columns[i] === true);
}

/** The snapshot read the group's own sets and it holds none: nothing in it to mute. */
function holdsNoSet(g: PermissionSource): boolean {
  const held = g.assignment.PermissionSetGroup?.PermissionSets;
  return Array.isArray(held) && held.length === 0;
}

/**
 * The group's own sets that may grant a right its muting set removes: "its set 'HubSpot Integration
 * Permissions'", "one of its sets 'A' or 'B'" when the snapshot read them (PermissionSetGroup
 * .PermissionSets), else 'a set in the group'. Which of them grants the right is not known: the
 * readers read ObjectPermissions, FieldPermissions and system permissions of the assigned sets only,
 * and a group is assigned through its aggregate set, whose rows already leave the muted right out.
 */
function heldSetsPhrase(g: PermissionSource): string {
  const held = g.assignment.PermissionSetGroup?.PermissionSets;
  if (!Array.isArray(held) || !held.length) return 'a set in the group';
  const names = quoteAll(held.map((h) => h.Label || h.Name));
  return names.length > 1 ? `one of its sets ${joinList(names, 'or')}` : `its set ${names[0]!}`;
}

/**
 * A group's aggregate permission set leaves out what a muting permission set in the group removes:
 * when a right is missing and a group is assigned, the admin may see it granted by a set in the
 * group. When the snapshot read the group's muting permission sets, they are named (where to change
 * them is the remedy's to say, mutingRemedy: once per finding); when it did not (an older snapshot or reader), the hint says only that one may.
 * `permission`, a system permission column ('PermissionsEditTask'): when the snapshot read it on the
 * muting sets, the hint names only the sets that mute it, or says none does.
 * '' when no active group is assigned.
 */
export function mutedInGroupsHint(ctx: Pick<Context, 'sources'>, permission?: string): string {
  const groups = ctx.sources.active.filter((s) => s.kind === 'group');
  if (!groups.length) return '';
  const unknown = groups.filter((g) => g.mutingSets === undefined);
  const sentences: string[] = [];
  if (unknown.length)
    sentences.push(
      `Permission set group${unknown.length > 1 ? 's' : ''} ${joinList(quoteAll(unknown.map((g) => g.displayName)))} ${unknown.length > 1 ? 'do' : 'does'} not grant it either: if a set in the group grants it, a muting permission set in the group removes it.`,
    );
  for (const g of groups) {
    const muting = g.mutingSets;
    if (muting === undefined) continue;
    const group = quoteAll([g.displayName])[0]!;
    if (holdsNoSet(g)) {
      sentences.push(
        `Permission set group ${group} does not grant it either: it holds no permission set.`,
      );
      continue;
    }
    if (!muting.length) {
      sentences.push(
        `Permission set group ${group} does not grant it either, and has no muting permission set.`,
      );
      continue;
    }
    const muters = mutersOf(g, permission);
    if (muters && !muters.length) {
      sentences.push(
        `Permission set group ${group} does not grant it either, and its muting permission set${muting.length > 1 ? 's' : ''} ${joinList(quoteAll(muting))} ${muting.length > 1 ? 'do' : 'does'} not mute it.`,
      );
      continue;
    }
    if (muters) {
      const many = muters.length > 1;
      sentences.push(
        `Permission set group ${group} does not grant it either: its muting permission set${many ? 's' : ''} ${joinList(quoteAll(muters))} mute${many ? '' : 's'} it, so no set in the group can grant it.`,
      );
      continue;
    }
    const many = muting.length > 1;
    sentences.push(
      `Permission set group ${group} does not grant it either: if ${heldSetsPhrase(g)} grants it, ${many ? 'one of its muting permission sets' : 'its muting permission set'} ${joinList(quoteAll(muting), 'or')} removes it.`,
    );
  }
  return sentences.join(' ');
}

/**
 * The remedy's first way when a missing right may be removed by a muting permission set the snapshot
 * named (mutedInGroupsHint): remove it from that set, at its exact place in Setup. Whether a set in
 * the group grants it, and whether the muting set mutes it, is the message's to say, once. `rights` is what
 * is missing ('Create and Edit on Contact'), `place` where it sits in a permission set ('Object
 * Settings > Contact'), `pronoun` 'it' or 'them'. The caller goes on with the other way, a
 * permission set outside the group (which is where Sync Doctor's own fix grants). '' when no active
 * group has a known muting permission set (older snapshot, or none): the remedy stays as it was.
 * `permission`, a system permission column: when the snapshot read it on the muting sets, only the
 * sets that mute it are named, as the ones to remove it from ('' when none does).
 */
export function mutingRemedy(
  ctx: Pick<Context, 'sources'>,
  rights: string,
  place: string,
  pronoun: 'it' | 'them',
  permission?: string,
): string {
  const groups = ctx.sources.active
    .filter((s) => s.kind === 'group' && s.mutingSets?.length && !holdsNoSet(s))
    .map((g) => ({ g, muters: mutersOf(g, permission) }))
    .filter(({ muters }) => muters === undefined || muters.length > 0);
  if (!groups.length) return '';
  const where = (g: PermissionSource, m: string): string =>
    `${m} (Setup > Permission Set Groups > ${quoteAll([g.displayName])[0]!} > Muting Permission Set ${m} > ${place})`;
  const known = groups.filter(({ muters }) => muters !== undefined);
  if (known.length === groups.length) {
    // Every named set mutes it (the snapshot says so): remove it from each.
    const sets = known.flatMap(({ g, muters }) => quoteAll(muters!).map((m) => where(g, m)));
    const many = sets.length > 1;
    return `Remove ${rights} from the muting permission set${many ? 's' : ''} ${joinList(sets)}; or `;
  }
  const sets = groups.flatMap(({ g, muters }) =>
    quoteAll(muters ?? g.mutingSets!).map((m) => where(g, m)),
  );
  const many = sets.length > 1;
  return `Remove ${rights} from the muting permission set${many ? ' that mutes ' + pronoun + ', ' : ' '}${joinList(sets, 'or')}; or `;
}

/**
 * A remedy with the muting way first when there is one (mutingRemedy): the other way then says it
 * is a permission set outside the group ('give ... through a permission set outside the group'),
 * as Sync Doctor's own fix ('Sync_Doctor_Remediation') is. Without one, `grant + where` unchanged.
 */
export function mutingFirst(muting: string, grant: string, where: string): string {
  if (!muting) return grant + where;
  return `${muting}${grant.charAt(0).toLowerCase()}${grant.slice(1)} outside the group${where}`;
}
