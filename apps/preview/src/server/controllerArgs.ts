import { splitFieldName } from '@sync-doctor/core';
import { ApexCallError } from './apexErrors.js';

// Argument checks of the Apex signatures (Id, String): a wrong type is the caller's error (400),
// as the Aura runtime refuses a value it cannot convert before the method runs.
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function idArg(
  params: Record<string, unknown>,
  name: string,
  { optional = false } = {},
): string | null {
  const value = params[name];
  if ((value === undefined || value === null || value === '') && optional) return null;
  if (typeof value !== 'string' || !SALESFORCE_ID.test(value)) {
    throw new ApexCallError(`${name} must be a Salesforce Id (15 or 18 letters and digits)`, 400);
  }
  return value;
}

export function stringArg(
  params: Record<string, unknown>,
  name: string,
  maxLength: number,
  { optional = false } = {},
): string | null {
  const value = params[name];
  if ((value === undefined || value === null) && optional) return null;
  if (typeof value !== 'string') throw new ApexCallError(`${name} must be a string`, 400);
  if (value.length > maxLength)
    throw new ApexCallError(`${name} is longer than ${maxLength} characters`, 400);
  return value;
}

export interface ExtraField {
  name: string;
  access: ('read' | 'edit')[];
}

/** saveSettings' extraFieldsJson: `[{ name: 'Contact.Hub_Score__c', access: ['read', 'edit'] }]`. */
export function extraFieldsArg(params: Record<string, unknown>, name: string): ExtraField[] {
  const text = stringArg(params, name, 64 * 1024, { optional: true });
  if (text === null || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApexCallError(`${name} is not valid JSON`, 400);
  }
  if (!Array.isArray(parsed) || parsed.length > 500)
    throw new ApexCallError(`${name} must be a JSON array (at most 500 fields)`, 400);
  return parsed.map((item, index) => {
    const field = item as { name?: unknown; access?: unknown };
    if (!field || typeof field.name !== 'string' || !splitFieldName(field.name)) {
      throw new ApexCallError(`${name}[${index}].name must be Object.Field`, 400);
    }
    const access = field.access === undefined ? ['read', 'edit'] : field.access;
    if (!Array.isArray(access) || access.some((a) => a !== 'read' && a !== 'edit')) {
      throw new ApexCallError(`${name}[${index}].access must list 'read' and/or 'edit'`, 400);
    }
    return { name: field.name, access: [...new Set(access as ('read' | 'edit')[])] };
  });
}

export function jsonObjectArg(
  params: Record<string, unknown>,
  name: string,
): Record<string, unknown> {
  const text = stringArg(params, name, 1024 * 1024);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new ApexCallError(`${name} is not valid JSON`, 400);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ApexCallError(`${name} must be a JSON object`, 400);
  return parsed as Record<string, unknown>;
}

/** A SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A LIKE pattern matching `term` anywhere, its own quotes and wildcards escaped. */
export function soqlContains(term: string): string {
  return `'%${term.replace(/[\\'%_]/g, (c) => `\\${c}`)}%'`;
}
