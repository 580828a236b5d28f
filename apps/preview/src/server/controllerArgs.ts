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

/** SyncDoctorSnapshotReader's caps on a read scope (MAX_SCOPE_OBJECTS, MAX_SCOPE_FIELDS). */
const MAX_SCOPE_OBJECTS = 200;
const MAX_SCOPE_FIELDS = 2000;
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export interface ReadScope {
  objects: string[];
  fields: string[];
}

/**
 * getSnapshot's scopeJson, as SyncDoctorSnapshotReader.parseScope checks it: `{ objects, fields }`,
 * the core's snapshotScope of the page's requirements (API names, 'Object.Field', each field's
 * object among the objects, within the caps). Null when not given.
 */
export function scopeArg(params: Record<string, unknown>, name: string): ReadScope | null {
  const text = stringArg(params, name, 400_000, { optional: true });
  if (text === null) return null;
  const scope = jsonObjectArg({ [name]: text }, name);
  const extra = Object.keys(scope).filter((key) => key !== 'objects' && key !== 'fields');
  if (extra.length) throw new ApexCallError(`${name} has unknown keys: ${extra.join(', ')}`, 400);
  const names = (key: 'objects' | 'fields', max: number): string[] => {
    const list = scope[key];
    if (!Array.isArray(list) || list.length > max || list.some((n) => typeof n !== 'string'))
      throw new ApexCallError(`${name}.${key} must be an array of at most ${max} names`, 400);
    const seen = new Set<string>();
    return (list as string[]).filter(
      (n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()),
    );
  };
  const objects = names('objects', MAX_SCOPE_OBJECTS);
  const fields = names('fields', MAX_SCOPE_FIELDS);
  const bad = objects.find((object) => !API_NAME.test(object));
  if (bad !== undefined)
    throw new ApexCallError(`${name}.objects are API names such as Contact, not '${bad}'`, 400);
  const objectKeys = new Set(objects.map((object) => object.toLowerCase()));
  for (const field of fields) {
    const split = splitFieldName(field);
    if (!split)
      throw new ApexCallError(`${name}.fields are Object.Field API names, not '${field}'`, 400);
    if (!objectKeys.has(split.object.toLowerCase()))
      throw new ApexCallError(`${name}.fields: ${field}'s object is not among the objects`, 400);
  }
  return { objects, fields };
}
