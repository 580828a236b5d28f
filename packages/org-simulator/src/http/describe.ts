import type { FieldSchema, ObjectSchema } from '../schema.js';

/**
 * Describe results in the REST shape (a subset of DescribeSObjectResult and Field, with the
 * properties the project reads: name, type, permissionable, calculated, nillable, referenceTo,
 * createable, updateable, ...).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  datetime: 'xsd:dateTime',
  date: 'xsd:date',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
};

function picklistEntry(value: string, active: boolean): Record<string, unknown> {
  return { active, defaultValue: false, label: value, validFor: null, value };
}

function describeField(field: FieldSchema): Record<string, unknown> {
  return {
    aggregatable: field.type !== 'textarea',
    autoNumber: field.autoNumber,
    byteLength: field.length * 3,
    calculated: field.calculated,
    caseSensitive: field.caseSensitive,
    // Master-detail: deleting the master deletes the detail; relationshipOrder null otherwise.
    cascadeDelete: field.relationshipOrder !== null,
    createable: field.createable,
    custom: field.custom,
    defaultedOnCreate:
      field.type === 'boolean' || field.name === 'OwnerId' || field.autoNumber || !field.createable,
    externalId: field.externalId,
    filterable: field.filterable && field.type !== 'textarea',
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime'].includes(field.type),
    idLookup: field.name === 'Id' || field.externalId || field.name === 'Username',
    label: field.label,
    length: field.length,
    name: field.name,
    nameField: field.name === 'Name',
    nillable: field.nillable,
    permissionable: field.permissionable,
    // The active values, then those deactivated in Setup (active false), as PicklistEntry.
    picklistValues: [
      ...field.picklistValues.map((value) => picklistEntry(value, true)),
      ...field.inactivePicklistValues.map((value) => picklistEntry(value, false)),
    ],
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    relationshipOrder: field.relationshipOrder,
    restrictedPicklist: field.restrictedPicklist,
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    sortable: field.type !== 'textarea',
    type: field.type,
    unique: field.unique,
    updateable: field.updateable,
  };
}

function objectUrls(apiVersion: string, name: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

export function describeObjectSummary(
  schema: ObjectSchema,
  apiVersion: string,
): Record<string, unknown> {
  const setupReadOnly = schema.name === 'Organization' || schema.name === 'OauthToken';
  return {
    name: schema.name,
    label: schema.label,
    labelPlural: `${schema.label}s`,
    keyPrefix: schema.keyPrefix,
    custom: schema.custom,
    createable: schema.createable,
    updateable: schema.kind !== 'event' && !setupReadOnly,
    deletable: schema.kind !== 'event' && !setupReadOnly,
    queryable: schema.kind !== 'event',
    retrieveable: schema.kind !== 'event',
    searchable: schema.kind === 'data',
    triggerable: schema.kind !== 'setup',
    urls: objectUrls(apiVersion, schema.name),
  };
}

/** `visible`: whether the describing user sees a field (its field-level security); default all. */
export function describeObject(
  schema: ObjectSchema,
  apiVersion: string,
  visible: (field: FieldSchema) => boolean = () => true,
): Record<string, unknown> {
  return {
    ...describeObjectSummary(schema, apiVersion),
    childRelationships: [...schema.children.values()].map((child) => ({
      cascadeDelete: false,
      childSObject: child.childSObject,
      deprecatedAndHidden: false,
      field: child.field,
      relationshipName: child.relationshipName,
    })),
    recordTypeInfos: [],
    fields: [...schema.fields.values()].filter(visible).map(describeField),
  };
}
