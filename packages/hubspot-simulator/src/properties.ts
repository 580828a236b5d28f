/**
 * The HubSpot properties the Salesforce connector writes, per CRM object. HubSpot's developer docs
 * do not list connector-owned properties; the names below are what HubSpot portals with the
 * connector installed expose, confirmed in public exports of real portals' property lists and
 * HubSpot's own help pages:
 * - contacts: `salesforcecontactid`, `salesforceleadid`, `salesforceaccountid`,
 *   `salesforceopportunitystage`, `salesforcelastsynctime` ("Last Salesforce Sync Time"),
 *   `salesforceownerid`, `salesforcecampaignids`, `salesforcedeleted` (property lists of portals
 *   with the connector, e.g. HubSpot data-model dumps in dbt/LookML projects; HubSpot Knowledge Base
 *   "Sync Salesforce leads and contacts to HubSpot",
 *   https://knowledge.hubspot.com/integrations/sync-salesforce-leads-and-contacts-to-hubspot);
 * - companies: `salesforceaccountid`, `salesforcelastsynctime` (portal company property exports);
 * - deals: `hs_salesforceopportunityid` (identifies deals synced from Salesforce opportunities)
 *   and `salesforcelastsynctime` (portal deal property exports).
 * Last-modified: contacts report `lastmodifieddate` (HubSpot's "Search the CRM" guide lists it among
 * the contact defaults, https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm)
 * and also carry `hs_lastmodifieddate`; companies and deals use `hs_lastmodifieddate`.
 */
export type CrmObjectType = 'contacts' | 'companies' | 'deals';
export const CRM_OBJECT_TYPES: readonly CrmObjectType[] = ['contacts', 'companies', 'deals'];

export const LAST_SYNC_PROPERTY = 'salesforcelastsynctime';

export const SALESFORCE_ID_PROPERTIES: Record<CrmObjectType, readonly string[]> = {
  contacts: ['salesforcecontactid', 'salesforceleadid'],
  companies: ['salesforceaccountid'],
  deals: ['hs_salesforceopportunityid'],
};

export const LAST_MODIFIED_PROPERTY: Record<CrmObjectType, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  deals: 'hs_lastmodifieddate',
};

/** Properties a search returns when the request names none ("Search the CRM", default properties). */
export const DEFAULT_PROPERTIES: Record<CrmObjectType, readonly string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
};

/** The read scope a private app needs for each object's search endpoint. */
export const READ_SCOPES: Record<CrmObjectType, string> = {
  contacts: 'crm.objects.contacts.read',
  companies: 'crm.objects.companies.read',
  deals: 'crm.objects.deals.read',
};

/** Properties whose values are datetimes (compared as instants by filters and sorts). */
export const DATETIME_PROPERTIES = new Set([
  'createdate',
  'lastmodifieddate',
  'hs_lastmodifieddate',
  'salesforcelastsynctime',
  'closedate',
]);
