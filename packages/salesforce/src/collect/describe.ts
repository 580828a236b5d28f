import type { FieldDescribe } from '@sync-doctor/core';

/** The parts of an sObject Describe result the collector reads (REST API: "sObject Describe"). */
export interface DescribeField {
  name: string;
  type?: string;
  calculated?: boolean;
  permissionable?: boolean;
  nillable?: boolean;
  referenceTo?: string[];
}

export interface DescribeResult {
  name: string;
  fields: DescribeField[];
}

/** SObject and field API names: letters, digits, underscores (custom ones end in __c, __e, ...). */
export function isApiName(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(value);
}

/** Splits 'Contact.Email' into its object and field, or null when it is not of that shape. */
export function splitFieldName(name: string): { object: string; field: string } | null {
  const parts = name.split('.');
  if (parts.length !== 2 || !isApiName(parts[0]!) || !isApiName(parts[1]!)) return null;
  return { object: parts[0]!, field: parts[1]! };
}

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
  if (typeof field.nillable === 'boolean') facts.nillable = field.nillable;
  if (typeof field.type === 'string') facts.type = field.type;
  if (Array.isArray(field.referenceTo) && field.referenceTo.length > 0)
    facts.referenceTo = [...field.referenceTo];
  return facts;
}
