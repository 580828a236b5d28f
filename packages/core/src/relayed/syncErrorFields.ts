/*
 * The Salesforce fields HubSpot's sync errors name, as the requirements the app and the CLI add to
 * the fields they check: read from Salesforce's message first, then from the export's field
 * column, each with the candidates a HubSpot object stands for.
 */
import type { FieldRequirement } from '../requirements/types.js';
import { fieldsInSalesforceMessage } from './salesforceErrorText.js';
import { salesforceFieldLike, salesforceObjects } from './salesforceNames.js';
import { parseSyncErrors, type RelayedSyncErrors, type SyncErrorGroup } from './syncErrors.js';

/**
 * A field a group names, as its candidates ('Account.Industry', or on a HubSpot contact
 * 'Contact.Score__c' and 'Lead.Score__c'), and whether Salesforce named it (`sure`): a name from
 * the export's field column may be a HubSpot label that happens to look like one ('Region').
 */
interface FieldChoice {
  names: string[];
  sure: boolean;
}

/** A custom field's API name ('Score__c', 'ns__Score__c'): no label is written so. */
const CUSTOM_FIELD = /__[a-z]+$/i;

function groupChoices(
  g: Pick<SyncErrorGroup, 'object' | 'field'> & { example?: string | null },
): FieldChoice[] {
  const column = fromFieldColumn(g)[0];
  const fromColumn = column && { ...column, sure: CUSTOM_FIELD.test(column.field) };
  const named = fieldsInSalesforceMessage(g.example).map((n) => ({
    objects: n.object ? [n.object] : salesforceObjects(g.object),
    field: n.field,
    sure: true,
  }));
  if (fromColumn) {
    const same = named.findIndex((n) => n.field.toLowerCase() === fromColumn.field.toLowerCase());
    // The group's own field first: the relay files a message naming several fields under each.
    if (same > 0) named.unshift(...named.splice(same, 1));
    // Not in the message: a label, unless the message was cut ('…') before naming it.
    else if (same < 0 && (!named.length || /…\s*$/.test(g.example ?? ''))) named.push(fromColumn);
  }
  const seen = new Set<string>();
  const out: FieldChoice[] = [];
  for (const { objects, field, sure } of named) {
    const names = objects.map((object) => `${object}.${field}`);
    const key = names.join(' ').toLowerCase();
    if (names.length && !seen.has(key)) {
      seen.add(key);
      out.push({ names, sure });
    }
  }
  return out;
}

/**
 * The Salesforce fields a group names, each as its candidates: ['Account.Industry'], or, on a
 * HubSpot contact, ['Contact.Score__c', 'Lead.Score__c'] (whichever the org has). Salesforce's
 * own message is read first (API names); else the export's field column when it is a Salesforce
 * name ('Industry', 'Contact.Industry', 'Score__c'), never a HubSpot property ('hs_lead_score').
 */
export function syncErrorFieldCandidates(
  g: Pick<SyncErrorGroup, 'object' | 'field'> & { example?: string | null },
): string[][] {
  return groupChoices(g).map((c) => c.names);
}

function fromFieldColumn(
  g: Pick<SyncErrorGroup, 'object' | 'field'>,
): { objects: readonly string[]; field: string }[] {
  const field = g.field?.trim();
  if (!field) return [];
  const dot = field.indexOf('.');
  const name = dot >= 0 ? field.slice(dot + 1) : field;
  if (!salesforceFieldLike(name)) return [];
  return [{ objects: salesforceObjects(dot >= 0 ? field.slice(0, dot) : g.object), field: name }];
}

/**
 * The 'Object.Field' name to show for a group: its first field's first candidate, or null when it
 * names no Salesforce field.
 */
export function syncErrorFieldName(
  g: Pick<SyncErrorGroup, 'object' | 'field'> & { example?: string | null },
): string | null {
  return syncErrorFieldCandidates(g)[0]?.[0] ?? null;
}

/**
 * Every field the field-permission groups name, each once, most important group first. A name
 * named alone somewhere (Salesforce's "No such column 'Fax' on entity 'Lead'") leaves the
 * candidates of another group ('Contact.Fax' or 'Lead.Fax'), so no field is listed twice.
 */
function fieldChoices(syncErrors: RelayedSyncErrors | string | null | undefined): FieldChoice[] {
  const byKey = new Map<string, FieldChoice>();
  // Read through the one parser: the Apex hands on Sync_Errors__c's JSON text as it is.
  for (const g of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (g.reason !== 'FIELD_PERMISSIONS_MISSING') continue;
    for (const choice of groupChoices(g)) {
      const key = choice.names.join(' ').toLowerCase();
      const known = byKey.get(key);
      if (known) known.sure ||= choice.sure;
      else byKey.set(key, { ...choice });
    }
  }
  const alone = new Set(
    [...byKey.values()].filter((c) => c.names.length === 1).map((c) => c.names[0]!.toLowerCase()),
  );
  return [...byKey.values()].flatMap((c) => {
    if (c.names.length === 1) return [c];
    const names = c.names.filter((name) => !alone.has(name.toLowerCase()));
    return names.length ? [{ names, sure: c.sure }] : [];
  });
}

/**
 * The fields HubSpot's sync errors say it lacks access to (field-permission groups), each as its
 * candidates (see syncErrorFieldCandidates), each once, most important first. Takes the summary
 * or its JSON text.
 */
export function syncErrorFieldChoices(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[][] {
  return fieldChoices(syncErrors).map((c) => c.names);
}

/**
 * The fields Salesforce itself named, or custom fields by API name, each as its candidates: an org
 * that has none of a choice's candidates lacks a field HubSpot failed to write (deleted or
 * renamed). A capitalised name from the export's field column may be a label: not among them.
 */
export function syncErrorSureFieldChoices(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[][] {
  return fieldChoices(syncErrors)
    .filter((c) => c.sure)
    .map((c) => c.names);
}

/** Every Salesforce field name the sync errors' field-permission groups name (all candidates). */
export function syncErrorFieldNames(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[] {
  const names = new Map<string, string>();
  for (const choice of syncErrorFieldChoices(syncErrors))
    for (const name of choice)
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  return [...names.values()];
}

/**
 * Requirements for the fields HubSpot's sync errors name: read and edit, as HubSpot's article asks
 * of every mapped field. The app and the CLI merge them into the fields they check, so a field
 * mapped only in HubSpot is checked once HubSpot has failed on it. Required only if the org has
 * it (`ifExists`): a HubSpot contact's field on Lead and on Contact, and any name taken from the
 * export's field column, which may be a HubSpot label ('Region') and is no deleted field. A field
 * Salesforce's own message names on one object is required outright.
 */
export function syncErrorFieldRequirements(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): FieldRequirement[] {
  return fieldChoices(syncErrors).flatMap(({ names, sure }) =>
    names.map((name): FieldRequirement =>
      names.length > 1 || !sure
        ? { name, access: ['read', 'edit'], ifExists: true }
        : { name, access: ['read', 'edit'] },
    ),
  );
}
