import type { FieldDescribe, ObjectDescribe } from '@sync-doctor/core';

/** The parts of an sObject Describe result the collector reads (REST API: "sObject Describe"). */
export interface DescribeField {
  name: string;
  type?: string;
  calculated?: boolean;
  autoNumber?: boolean;
  permissionable?: boolean;
  nillable?: boolean;
  referenceTo?: string[];
  createable?: boolean;
  updateable?: boolean;
  /** A master-detail field's place among its object's masters (0, 1); null for any other field. */
  relationshipOrder?: number | null;
  /** A picklist's values, inactive ones included (`active` false): describe lists both. */
  picklistValues?: DescribePicklistValue[] | null;
  /** Whether Salesforce refuses any value not among the picklist's active ones, even via the API. */
  restrictedPicklist?: boolean | null;
}

/** One entry of a field's describe `picklistValues` (REST API: "PicklistEntry"). */
export interface DescribePicklistValue {
  value?: string | null;
  label?: string | null;
  active?: boolean | null;
  defaultValue?: boolean | null;
}

/** Describe types whose values a sync error's refused value is checked against. */
const PICKLIST_TYPES: ReadonlySet<string> = new Set(['picklist', 'multipicklist']);

export interface DescribeResult {
  name: string;
  fields: DescribeField[];
  /** Whether the user who described may create / edit the object's records. */
  createable?: boolean;
  updateable?: boolean;
}

/**
 * Objects whose rights in a permission set may need Read on another object that only their
 * describe names: a custom object (its master-detail masters) and Account (Contact, with Person
 * Accounts). The collector describes them even without a required field, where others only get
 * their basic information.
 */
export function mayNeedParents(object: string): boolean {
  return /__c$/i.test(object) || object.toLowerCase() === 'account';
}

/** Objects whose rights need Read on Account in the same set (the core's PARENT_OBJECTS). */
export const ACCOUNT_CHILDREN: ReadonlySet<string> = new Set([
  'contact',
  'opportunity',
  'contract',
]);

/**
 * The describe facts of one object (`describe` null: the org has no such object). A custom
 * object's master-detail masters are its reference fields with a relationshipOrder, which REST
 * describe gives master-detail fields only (null on a lookup). Account's IsPersonAccount field
 * exists only in an org with Person Accounts.
 */
export function objectFacts(describe: DescribeResult | null, object: string): ObjectDescribe {
  if (!describe) return { exists: false };
  const facts: ObjectDescribe = { exists: true };
  if (typeof describe.createable === 'boolean') facts.createable = describe.createable;
  if (typeof describe.updateable === 'boolean') facts.updateable = describe.updateable;
  if (/__c$/i.test(object)) {
    const masters = new Map<string, string>();
    for (const field of describe.fields)
      if (field.type === 'reference' && field.relationshipOrder != null)
        for (const target of field.referenceTo ?? []) masters.set(target.toLowerCase(), target);
    facts.masterDetailParents = [...masters.values()];
  }
  if (object.toLowerCase() === 'account')
    facts.personAccounts = describe.fields.some((f) => f.name.toLowerCase() === 'ispersonaccount');
  return facts;
}

/** API names and 'Object.Field' names, by the core's one rule for them. */
export { isApiName, splitFieldName } from '@sync-doctor/core';

/**
 * The describe facts of one field. `describe` null means the object itself is absent from the org
 * (describe answered NOT_FOUND), so none of its fields exist.
 */
export function fieldFacts(describe: DescribeResult | null, fieldName: string): FieldDescribe {
  const field = describe?.fields.find((f) => f.name.toLowerCase() === fieldName.toLowerCase());
  if (!field) return { exists: false, permissionable: false, calculated: false };
  const facts: FieldDescribe = {
    exists: true,
    permissionable: field.permissionable === true,
    calculated: field.calculated === true,
  };
  if (field.autoNumber === true) facts.autoNumber = true;
  if (typeof field.nillable === 'boolean') facts.nillable = field.nillable;
  if (typeof field.type === 'string') facts.type = field.type;
  if (Array.isArray(field.referenceTo) && field.referenceTo.length > 0)
    facts.referenceTo = [...field.referenceTo];
  // For the user who described: the core reads "nobody can write it" only with the object's facts.
  if (typeof field.createable === 'boolean') facts.createable = field.createable;
  if (typeof field.updateable === 'boolean') facts.updateable = field.updateable;
  // A picklist's active values (by API value, in describe's order): what HubSpot may send it now.
  // An inactive value stays on old records but a restricted picklist refuses it on a write.
  if (typeof field.type === 'string' && PICKLIST_TYPES.has(field.type)) {
    facts.picklistValues = (field.picklistValues ?? [])
      .filter((v) => v?.active === true && typeof v.value === 'string')
      .map((v) => v.value as string);
    facts.restrictedPicklist = field.restrictedPicklist === true;
  }
  return facts;
}
