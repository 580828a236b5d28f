/**
 * What HubSpot's exported sync errors ask Sync Doctor to read and check. Apart from syncErrors.ts
 * because a picklist group is known by its kind (syncErrorKinds.ts), which reads syncErrors.ts.
 */
import type { FieldRequirement, ObjectRequirement, Requirements } from '../requirements/types.js';
import {
  parseSyncErrors,
  syncErrorFieldCandidates,
  syncErrorFieldRequirements,
  syncErrorGroupObjects,
  type RelayedSyncErrors,
} from './syncErrors.js';
import { syncErrorKind } from './syncErrorKinds.js';

type SyncErrorsInput = RelayedSyncErrors | string | null | undefined;

/** The objects of every object-permission group (syncErrorGroupObjects), each once. */
function syncErrorObjects(syncErrors: SyncErrorsInput): string[] {
  const names = new Map<string, string>();
  for (const g of parseSyncErrors(syncErrors)?.groups ?? [])
    for (const name of syncErrorGroupObjects(g))
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  return [...names.values()];
}

/**
 * The fields of picklist groups (a value Salesforce refused), each candidate once, required only if
 * the org has it: HubSpot writes them, so they need read and edit like any mapped field, and their
 * describe brings the picklist's values, which say whether the refused value is accepted now.
 */
function picklistFieldRequirements(syncErrors: SyncErrorsInput): FieldRequirement[] {
  const names = new Map<string, string>();
  for (const g of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (syncErrorKind(g) !== 'picklist') continue;
    for (const name of syncErrorFieldCandidates(g).flat())
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  }
  return [...names.values()].map((name) => ({ name, access: ['read', 'edit'], ifExists: true }));
}

/**
 * Everything HubSpot's sync errors ask to be checked: the fields of its field-permission errors
 * (syncErrorFieldRequirements), read and edit on the objects of its object-permission errors, so
 * an object mapped only in HubSpot ('Invoice__c') is checked once HubSpot has failed on it, and
 * the fields of its picklist errors, whose values are then read. The app and the CLI merge it into
 * their requirements (mergeRequirements).
 */
export function syncErrorRequirements(
  syncErrors: SyncErrorsInput,
): Pick<Requirements, 'objects' | 'fields'> {
  const fields = syncErrorFieldRequirements(syncErrors);
  const known = new Set(fields.map((f) => f.name.toLowerCase()));
  return {
    objects: syncErrorObjects(syncErrors).map((name): ObjectRequirement => ({
      name,
      access: ['read', 'edit'],
    })),
    fields: [
      ...fields,
      ...picklistFieldRequirements(syncErrors).filter((f) => !known.has(f.name.toLowerCase())),
    ],
  };
}
