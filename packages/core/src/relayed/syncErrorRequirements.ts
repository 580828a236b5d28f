/**
 * What HubSpot's exported sync errors ask Sync Doctor to read and check. Apart from syncErrors.ts
 * because a picklist group is known by its kind (syncErrorKinds.ts), which reads syncErrors.ts.
 */
import type { FieldRequirement, ObjectRequirement, Requirements } from '../requirements/types.js';
import { syncErrorGroupObjects } from './salesforceNames.js';
import {
  syncErrorFieldCandidates,
  syncErrorFieldChoices,
  syncErrorFieldRequirements,
} from './syncErrorFields.js';
import { parseSyncErrors, type RelayedSyncErrors } from './syncErrors.js';
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
 * The fields of picklist groups (a value Salesforce refused), each as its candidates (a HubSpot
 * contact's field on Contact and on Lead), each once, leaving out those a field-permission group
 * names already: HubSpot writes them, so they are checked like the fields it failed to write.
 */
export function syncErrorPicklistFieldChoices(syncErrors: SyncErrorsInput): string[][] {
  const seen = new Set(
    syncErrorFieldChoices(syncErrors)
      .flat()
      .map((n) => n.toLowerCase()),
  );
  const out: string[][] = [];
  for (const g of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (syncErrorKind(g) !== 'picklist') continue;
    for (const choice of syncErrorFieldCandidates(g)) {
      const names = choice.filter((name) => !seen.has(name.toLowerCase()));
      for (const name of names) seen.add(name.toLowerCase());
      if (names.length) out.push(names);
    }
  }
  return out;
}

/**
 * Read and edit on the picklist groups' fields, required only if the org has them (the export's
 * field column may hold a label): their describe brings the picklist's values, which say whether
 * the refused value is accepted now.
 */
function picklistFieldRequirements(syncErrors: SyncErrorsInput): FieldRequirement[] {
  return syncErrorPicklistFieldChoices(syncErrors)
    .flat()
    .map((name) => ({ name, access: ['read', 'edit'], ifExists: true }));
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
  return {
    objects: syncErrorObjects(syncErrors).map((name): ObjectRequirement => ({
      name,
      access: ['read', 'edit'],
    })),
    fields: [...syncErrorFieldRequirements(syncErrors), ...picklistFieldRequirements(syncErrors)],
  };
}

/**
 * Whether HubSpot's sync errors hold a custom-code group (a validation rule, flow or Apex refused
 * the record): then the Node collector reads the org's active validation rules, one Tooling API
 * query, to name the rule that sent each message (validationRuleNow). False costs no request.
 */
export function syncErrorsAskValidationRules(syncErrors: SyncErrorsInput): boolean {
  return (parseSyncErrors(syncErrors)?.groups ?? []).some(
    (g) => syncErrorKind(g) === 'custom-code',
  );
}
