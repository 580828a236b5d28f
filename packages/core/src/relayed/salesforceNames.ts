/*
 * Which words of a sync-error export name something in Salesforce: HubSpot's object types mapped
 * to Salesforce's objects, and API names told apart from labels and HubSpot properties. Both the
 * summary (a relayed validation rule's names) and the field and message readers rely on them.
 */
import type { SyncErrorGroup } from './syncErrors.js';

/**
 * Salesforce's objects for an object the export names in HubSpot's words (its object types,
 * English and Danish, singular and plural). A HubSpot contact is a Lead or a Contact in
 * Salesforce, and neither the export's "Contact" nor Salesforce's field error says which.
 */
const HUBSPOT_OBJECTS: Record<string, readonly string[]> = {
  contact: ['Contact', 'Lead'],
  contacts: ['Contact', 'Lead'],
  kontakt: ['Contact', 'Lead'],
  kontakter: ['Contact', 'Lead'],
  company: ['Account'],
  companies: ['Account'],
  virksomhed: ['Account'],
  virksomheder: ['Account'],
  deal: ['Opportunity'],
  deals: ['Opportunity'],
  aftale: ['Opportunity'],
  aftaler: ['Opportunity'],
  task: ['Task'],
  tasks: ['Task'],
  opgave: ['Task'],
  opgaver: ['Task'],
  lead: ['Lead'],
  leads: ['Lead'],
  kundeemne: ['Lead'],
  kundeemner: ['Lead'],
  // Salesforce's own names of the objects HubSpot syncs, as an export may name them too.
  account: ['Account'],
  accounts: ['Account'],
  opportunity: ['Opportunity'],
  opportunities: ['Opportunity'],
  user: ['User'],
  users: ['User'],
  campaign: ['Campaign'],
  campaigns: ['Campaign'],
  kampagne: ['Campaign'],
  kampagner: ['Campaign'],
};

/**
 * A Salesforce API name: a letter, then letters, digits and single underscores, no trailing
 * underscore, with an optional namespace prefix and suffix ('ns__Score__c'). A label ('Date of
 * birth') or a HubSpot property with spaces is not one, so it never becomes a requirement.
 */
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__[A-Za-z](?:[A-Za-z0-9]|_(?!_))*){0,2}$/;
export const isApiName = (name: string): boolean => API_NAME.test(name) && !name.endsWith('_');

/**
 * A field column's value that is a Salesforce field name, not HubSpot's: Salesforce's standard
 * fields start with a capital ('Industry'), custom ones end in a suffix ('score__c'); HubSpot's
 * internal names are lower case ('hs_lead_score', 'firstname'), and would name no field.
 */
export const salesforceFieldLike = (name: string): boolean =>
  isApiName(name) && (/^[A-Z]/.test(name) || /__[a-z]+$/i.test(name));

export function salesforceObjects(name: string | null | undefined): readonly string[] {
  const trimmed = name?.trim();
  if (!trimmed) return [];
  return HUBSPOT_OBJECTS[trimmed.toLowerCase()] ?? (isApiName(trimmed) ? [trimmed] : []);
}

/**
 * The Salesforce objects an object-permission group names: HubSpot's object types ('deal' ->
 * Opportunity, a contact -> Contact and Lead) and custom objects by API name ('Invoice__c'). Any
 * other word is left out: a HubSpot custom object's label ('Invoices') is no Salesforce object,
 * and requiring it would report an object the org does not have. [] for other groups.
 */
export function syncErrorGroupObjects(g: Pick<SyncErrorGroup, 'reason' | 'object'>): string[] {
  if (g.reason !== 'OBJECT_PERMISSIONS_MISSING' || !g.object) return [];
  const word = g.object.trim();
  const known = HUBSPOT_OBJECTS[word.toLowerCase()];
  return [...(known ?? (isApiName(word) && /__c$/i.test(word) ? [word] : []))];
}
