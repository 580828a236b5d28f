/**
 * Permission sources: the profile's permission set, each assigned permission set and each assigned
 * permission set group (through its aggregate permission set, whose rows already leave out what a
 * muting permission set removes). Each source is active or not, and says why not: an expired
 * assignment or a session-based set grants nothing.
 */
import { parseSalesforceDateTime } from '../snapshot/jsonSchema.js';
import type {
  PermissionSetAssignmentRecord,
  PermissionSetRecord,
  Snapshot,
} from '../snapshot/types.js';
import { day } from './text.js';

export type SourceKind = 'profile' | 'permissionSet' | 'group';

export interface PermissionSource {
  /** The PermissionSet Id that ObjectPermissions / FieldPermissions rows point at (ParentId). */
  id: string;
  kind: SourceKind;
  /** What the admin sees in Setup: the profile name, the set's label, the group's label. */
  displayName: string;
  /** 'Profile: System Administrator', 'Permission set: HubSpot Integration Permissions', ... */
  label: string;
  active: boolean;
  /** Session-based: the set (HasActivationRequired) or the group it stands for needs a session activation. */
  sessionBased: boolean;
  /** Why an inactive source grants nothing: 'its assignment expired on 2026-01-31'. */
  inactiveBecause?: string;
  record: PermissionSetRecord;
  assignment: PermissionSetAssignmentRecord;
  /** Permission set group Status ('Updated', 'Outdated', 'Updating', 'Failed'). */
  groupStatus?: string;
  /**
   * A group's muting permission sets by the name the admin sees in Setup (MasterLabel, else
   * DeveloperName, else Id); undefined when the snapshot did not read them, [] when it has none.
   */
  mutingSets?: string[];
  /** A group's regular permission sets, their names (permissionSetNames), when read. */
  groupSetNames?: string[][];
}

const KIND_LABEL: Record<SourceKind, string> = {
  profile: 'Profile',
  permissionSet: 'Permission set',
  group: 'Permission set group',
};

function kindOf(a: PermissionSetAssignmentRecord): SourceKind {
  if (a.PermissionSet.IsOwnedByProfile) return 'profile';
  if (a.PermissionSetGroupId || a.PermissionSetGroup || a.PermissionSet.Type === 'Group')
    return 'group';
  return 'permissionSet';
}

function displayNameOf(
  a: PermissionSetAssignmentRecord,
  kind: SourceKind,
  profileName?: string | null,
): string {
  const ps = a.PermissionSet;
  if (kind === 'profile') return ps.Profile?.Name ?? profileName ?? ps.Label ?? ps.Name;
  if (kind === 'group')
    return (
      a.PermissionSetGroup?.MasterLabel ??
      a.PermissionSetGroup?.DeveloperName ??
      ps.Label ??
      ps.Name
    );
  return ps.Label ?? ps.Name;
}

export function sourceLabel(kind: SourceKind, displayName: string): string {
  return `${KIND_LABEL[kind]}: ${displayName}`;
}

export interface SourceIndex {
  /** By PermissionSet Id (ParentId of permission rows). */
  byId: Map<string, PermissionSource>;
  list: PermissionSource[];
  active: PermissionSource[];
  profile?: PermissionSource;
}

export function indexSources(snapshot: Snapshot): SourceIndex {
  const capturedAt = parseSalesforceDateTime(snapshot.capturedAt);
  const byId = new Map<string, PermissionSource>();
  const list: PermissionSource[] = [];
  let profile: PermissionSource | undefined;
  for (const assignment of snapshot.assignments ?? []) {
    const record = assignment.PermissionSet;
    const id = assignment.PermissionSetId ?? record.Id;
    if (byId.has(id)) continue;
    const kind = kindOf(assignment);
    const displayName = displayNameOf(assignment, kind, snapshot.user?.Profile?.Name);
    let inactiveBecause: string | undefined;
    if (assignment.ExpirationDate) {
      const expires = parseSalesforceDateTime(assignment.ExpirationDate);
      if (!Number.isNaN(expires) && expires <= capturedAt) {
        inactiveBecause = `its assignment expired on ${day(assignment.ExpirationDate)}`;
      }
    }
    // A session-based group need not show it on its aggregate permission set: the group record says so.
    const sessionBased =
      kind !== 'profile' &&
      (record.HasActivationRequired === true ||
        (kind === 'group' && assignment.PermissionSetGroup?.HasActivationRequired === true));
    if (!inactiveBecause && sessionBased) {
      inactiveBecause =
        'it is session-based and grants nothing until a session activates it (the HubSpot connector never does)';
    }
    const source: PermissionSource = {
      id,
      kind,
      displayName,
      label: sourceLabel(kind, displayName),
      active: inactiveBecause === undefined,
      sessionBased,
      record,
      assignment,
    };
    if (inactiveBecause !== undefined) source.inactiveBecause = inactiveBecause;
    const status = assignment.PermissionSetGroup?.Status;
    if (kind === 'group' && status) source.groupStatus = status;
    const muting = assignment.PermissionSetGroup?.MutingPermissionSets;
    if (kind === 'group' && Array.isArray(muting))
      source.mutingSets = muting.map((m) => m.MasterLabel || m.DeveloperName || m.Id);
    const held = assignment.PermissionSetGroup?.PermissionSets;
    if (kind === 'group' && Array.isArray(held))
      source.groupSetNames = held.map((h) =>
        permissionSetNames({
          Id: h.Id,
          Name: h.Name,
          Label: h.Label ?? '',
          IsOwnedByProfile: false,
        }),
      );
    byId.set(id, source);
    list.push(source);
    if (kind === 'profile' && !profile) profile = source;
  }
  return { byId, list, active: list.filter((s) => s.active), profile };
}

/** Names a required permission set may be given by: Name, Label, Name with spaces, without namespace. */
export function permissionSetNames(record: PermissionSetRecord): string[] {
  const names = [record.Name, record.Label ?? ''];
  const withoutNamespace = record.Name.includes('__')
    ? record.Name.slice(record.Name.indexOf('__') + 2)
    : record.Name;
  names.push(withoutNamespace, withoutNamespace.replace(/_/g, ' '));
  return names.filter(Boolean).map((n) => n.toLowerCase());
}

export function normalizeSetName(name: string): string[] {
  const lower = name.toLowerCase();
  return [lower, lower.replace(/_/g, ' ')];
}
