/**
 * Where things are in HubSpot, named alike everywhere (findings, plan steps, the catalog). HubSpot's
 * knowledge base ("Manage your Salesforce integration settings", 2023) opens the integration from
 * Connected apps (newer accounts: Reporting & Data > Integrations), then "On the Sync Health tab ...
 * Under Allocated to HubSpot, enter the number of API calls ..., then click Update". HubSpot moves
 * its menus, so each place is named by what stays: the Salesforce integration and its tabs. One
 * constant per place: a path spelled by hand in a message drifted from the others.
 */
const INTEGRATION = "HubSpot's Salesforce integration settings";

/** The integration itself: the connected Salesforce user, a suspension and "Clear Suspension". */
export const HUBSPOT_SALESFORCE_PLACE = `${INTEGRATION} (Connected apps > Salesforce)`;
/** Its Sync Health tab: why the sync stopped, its errors, and its "API calls used". */
export const HUBSPOT_SYNC_HEALTH_PLACE = `${INTEGRATION} (Connected apps > Salesforce, Sync Health tab)`;
/** Where "Allocated to HubSpot" is set: the Sync Health tab. */
export const HUBSPOT_ALLOCATION_PLACE = HUBSPOT_SYNC_HEALTH_PLACE;
/** The property mappings of contacts, companies and deals (HubSpot's "[Object] property mappings"). */
export const HUBSPOT_MAPPINGS_PLACE = `${INTEGRATION} (Connected apps > Salesforce, the Contacts, Companies or Deals tab > its property mappings)`;
