/**
 * HubSpot's default field mappings for its Salesforce connector: the one data file.
 *
 * Contacts <-> Leads/Contacts: HubSpot documents the list ("Default field mappings are created for the
 * following HubSpot contact properties", knowledge.hubspot.com/integrations/sync-salesforce-leads-and-contacts-to-hubspot):
 * Account ID, Annual Revenue, Business Fax, Business Phone, City, Company, Contact Description, Country,
 * Email, Email Opt Out, Employees, First Name, Industry, Last Name, Lead Source, Mailing City/Country/
 * State/Street/Zip, Owner ID, Rating, Salutation, State, Status, Street, Title, Website, Zip. Those
 * defaults cannot be deleted in HubSpot, so the integration user always needs them. Where a HubSpot
 * property maps to a Lead field and a Contact field, both are listed (HubSpot writes both).
 *
 * Companies <-> Accounts and Deals <-> Opportunities: HubSpot does not publish an exhaustive default
 * list; its mapping screen starts from the record's name and owner and the standard properties
 * listed below (name, owner, and the standard address/firmographic fields for companies; name,
 * amount, close date, stage, owner, type for deals). Those objects sync only once the admin turns
 * company or deal sync on, which is why they can be dropped by passing other requirements.
 *
 * `hubspotProperty` is HubSpot's internal property name where HubSpot defines the property itself
 * (firstname, email, hubspot_owner_id, dealstage, ...); for properties the connector owns (Account ID,
 * Lead Source, Rating, Email Opt Out, Contact Description) it is the label HubSpot shows.
 * `edit` is required because the default mappings sync both ways (HubSpot writes these fields).
 */
import type { FieldAccess } from './types.js';

export interface HubSpotFieldMapping {
  /** 'Object.Field' in Salesforce. */
  salesforce: string;
  hubspotProperty: string;
  hubspotObject: 'contact' | 'company' | 'deal';
  access: FieldAccess[];
}

const RW: FieldAccess[] = ['read', 'edit'];

function contact(hubspotProperty: string, ...salesforce: string[]): HubSpotFieldMapping[] {
  return salesforce.map((field) => ({
    salesforce: field,
    hubspotProperty,
    hubspotObject: 'contact',
    access: RW,
  }));
}
function company(hubspotProperty: string, field: string): HubSpotFieldMapping {
  return { salesforce: `Account.${field}`, hubspotProperty, hubspotObject: 'company', access: RW };
}
function deal(hubspotProperty: string, field: string): HubSpotFieldMapping {
  return { salesforce: `Opportunity.${field}`, hubspotProperty, hubspotObject: 'deal', access: RW };
}

export const HUBSPOT_DEFAULT_FIELD_MAPPINGS: readonly HubSpotFieldMapping[] = [
  // Contacts (HubSpot) <-> Leads and Contacts (Salesforce)
  ...contact('Account ID', 'Contact.AccountId'),
  ...contact('annualrevenue', 'Lead.AnnualRevenue'),
  ...contact('fax', 'Lead.Fax', 'Contact.Fax'),
  ...contact('phone', 'Lead.Phone', 'Contact.Phone'),
  ...contact('city', 'Lead.City', 'Contact.MailingCity'),
  ...contact('company', 'Lead.Company'),
  ...contact('Contact Description', 'Lead.Description', 'Contact.Description'),
  ...contact('country', 'Lead.Country', 'Contact.MailingCountry'),
  ...contact('email', 'Lead.Email', 'Contact.Email'),
  ...contact('Email Opt Out', 'Lead.HasOptedOutOfEmail', 'Contact.HasOptedOutOfEmail'),
  ...contact('numemployees', 'Lead.NumberOfEmployees'),
  ...contact('firstname', 'Lead.FirstName', 'Contact.FirstName'),
  ...contact('industry', 'Lead.Industry'),
  ...contact('lastname', 'Lead.LastName', 'Contact.LastName'),
  ...contact('Lead Source', 'Lead.LeadSource', 'Contact.LeadSource'),
  ...contact('hubspot_owner_id', 'Lead.OwnerId', 'Contact.OwnerId'),
  ...contact('Rating', 'Lead.Rating'),
  ...contact('salutation', 'Lead.Salutation', 'Contact.Salutation'),
  ...contact('state', 'Lead.State', 'Contact.MailingState'),
  ...contact('hs_lead_status', 'Lead.Status'),
  ...contact('address', 'Lead.Street', 'Contact.MailingStreet'),
  ...contact('jobtitle', 'Lead.Title', 'Contact.Title'),
  ...contact('website', 'Lead.Website'),
  ...contact('zip', 'Lead.PostalCode', 'Contact.MailingPostalCode'),

  // Companies (HubSpot) <-> Accounts (Salesforce)
  company('name', 'Name'),
  company('hubspot_owner_id', 'OwnerId'),
  company('website', 'Website'),
  company('phone', 'Phone'),
  company('industry', 'Industry'),
  company('description', 'Description'),
  company('numberofemployees', 'NumberOfEmployees'),
  company('annualrevenue', 'AnnualRevenue'),
  company('address', 'BillingStreet'),
  company('city', 'BillingCity'),
  company('state', 'BillingState'),
  company('zip', 'BillingPostalCode'),
  company('country', 'BillingCountry'),

  // Deals (HubSpot) <-> Opportunities (Salesforce)
  deal('dealname', 'Name'),
  deal('amount', 'Amount'),
  deal('closedate', 'CloseDate'),
  deal('dealstage', 'StageName'),
  deal('hubspot_owner_id', 'OwnerId'),
  deal('dealtype', 'Type'),
  deal('description', 'Description'),
  // The deal's associated company is synced as the opportunity's account.
  deal('associatedcompanyid', 'AccountId'),
];
