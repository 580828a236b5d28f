import { compileRule, type CompiledRule, type ValidationRuleSpec } from './org/validationRules.js';
import type { DuplicateRuleSpec } from './org/duplicateRules.js';
import type { RecordTypeEntry, RecordTypeSpec } from './org/recordTypes.js';
/**
 * The org's object catalog: what `describe` answers and what SOQL and writes are validated against.
 * Field properties follow DescribeSObjectResult / Field in the REST API guide:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_describe.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'boolean'
  | 'reference'
  | 'datetime'
  | 'date'
  | 'double'
  | 'int'
  | 'currency'
  | 'percent'
  | 'picklist'
  | 'combobox'
  | 'email'
  | 'phone'
  | 'url'
  | 'textarea';

export type ObjectKind = 'data' | 'setup' | 'event';

export interface FieldSchema {
  name: string;
  label: string;
  type: FieldType;
  referenceTo: string[];
  relationshipName: string | null;
  nillable: boolean;
  permissionable: boolean;
  calculated: boolean;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
  unique: boolean;
  /**
   * Unique text compared case-sensitively (metadata caseSensitive true, spec flag 'casesensitive').
   * Salesforce's default is case-insensitive: 'ABC' duplicates 'abc', and an upsert by 'ABC'
   * matches the record holding 'abc'.
   */
  caseSensitive: boolean;
  /**
   * Whether a WHERE clause may name it (describe's filterable, the Object Reference's "Filter"
   * property). Spec flag 'nofilter' marks the few the Object Reference lists without it, e.g.
   * LoginHistory's Status or Browser ("Not all fields are filterable"): SOQL refuses them in WHERE.
   */
  filterable: boolean;
  autoNumber: boolean;
  custom: boolean;
  length: number;
  /** Picklist values, the active ones; a restricted picklist refuses any other value. */
  picklistValues: string[];
  /**
   * Values deactivated in Setup (spec `inactive`): describe still lists them with active false and
   * old records keep them, but a restricted picklist refuses them on a write like any other value.
   */
  inactivePicklistValues: string[];
  restrictedPicklist: boolean;
  /**
   * A master-detail field's place among its object's masters (describe's relationshipOrder: 0 the
   * primary, 1 the secondary); null for any other field. Spec flag 'master=0' / 'master=1', which
   * also makes the field required (not nillable, not permissionable).
   */
  relationshipOrder: number | null;
}

/**
 * A field in schema JSON: the compact spec, or an object adding picklist values (`values` the
 * active ones, `inactive` those deactivated) and whether the picklist is restricted.
 */
export type FieldSpecInput =
  string | { spec: string; values?: string[]; inactive?: string[]; restricted?: boolean };

export interface ObjectSchema {
  name: string;
  label: string;
  keyPrefix: string;
  kind: ObjectKind;
  custom: boolean;
  createable: boolean;
  /** Data objects whose access ObjectPermissions rows govern (not User, not Task). */
  objectPermissions: boolean;
  /**
   * The organization-wide default when it keeps others' records from being edited ('Read' or
   * 'Private'): only the owner, or a user with Modify All Data or the object's Modify All, edits
   * a record (deletes are not checked). null when every reader may edit (ReadWrite, or not modelled).
   */
  sharingModel: 'Read' | 'Private' | null;
  /** Fields keyed by lower-case API name: SOQL and the REST API are case-insensitive about names. */
  fields: Map<string, FieldSchema>;
  /** Reference fields keyed by lower-case relationship name ('permissionset' -> PermissionSetId). */
  relationships: Map<string, FieldSchema>;
  /** Child relationships keyed by lower-case name ('objectperms' -> ObjectPermissions.ParentId). */
  children: Map<string, ChildRelationship>;
  /** The object's active validation rules (the package's metadata), checked on insert and update. */
  validationRules: CompiledRule[];
  /** The object's duplicate rules, listed by the User Interface API (never matched on writes). */
  duplicateRules: DuplicateRuleSpec[];
  /** The object's record types (SOQL on RecordType, the UI API's picklist values by record type). */
  recordTypes: RecordTypeEntry[];
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
}

export interface ObjectSpec {
  kind: ObjectKind;
  keyPrefix: string;
  label: string;
  custom?: boolean;
  createable?: boolean;
  objectPermissions?: boolean;
  /** Organization-wide default of a custom object ('Read': Public Read Only, 'Private', ...). */
  sharingModel?: string;
  children?: Record<string, string>;
  fields: Record<string, FieldSpecInput>;
  validationRules?: ValidationRuleSpec[];
}

const FLAG_NAMES = new Set([
  'required',
  'compound',
  'readonly',
  'createonly',
  'updateonly',
  'system',
  'external',
  'unique',
  'casesensitive',
  'autonumber',
  'calculated',
  'nofilter',
]);

function labelOf(apiName: string): string {
  return apiName
    .replace(/__c$/, '')
    .replace(/Id$/, apiName === 'Id' ? 'Id' : ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

function defaultLength(type: FieldType): number {
  switch (type) {
    case 'id':
    case 'reference':
      return 18;
    case 'textarea':
      return 32768;
    case 'email':
    case 'phone':
    case 'string':
    case 'picklist':
    case 'combobox':
    case 'url':
      return 255;
    default:
      return 0;
  }
}

/** Parse one compact field spec ('reference:Account,Lead required', 'string length=32') into describe properties. */
export function parseFieldSpec(
  name: string,
  input: FieldSpecInput,
  objectKind: ObjectKind,
): FieldSchema {
  const spec = typeof input === 'string' ? input : input.spec;
  const [typePart = 'string', ...allFlags] = spec.trim().split(/\s+/);
  const [rawType, refs] = typePart.split(':');
  const type = rawType as FieldType;
  let length: number | undefined;
  let relationshipOrder: number | null = null;
  const flags = allFlags.filter((flag) => {
    const match = /^length=(\d+)$/.exec(flag);
    if (match) length = Number(match[1]);
    const master = /^master=([01])$/.exec(flag);
    if (master) relationshipOrder = Number(master[1]);
    return !match && !master;
  });
  if (relationshipOrder !== null && rawType !== 'reference')
    throw new Error(`Field ${name}: only a reference can be master-detail ('${spec}')`);
  for (const flag of flags) {
    if (!FLAG_NAMES.has(flag))
      throw new Error(`Field ${name}: unknown flag '${flag}' in '${spec}'`);
  }
  const has = (flag: string) => flags.includes(flag);
  const custom = name.endsWith('__c');
  const referenceTo = refs ? refs.split(',') : [];
  const readOnly =
    has('readonly') || has('system') || has('compound') || has('autonumber') || has('calculated');
  // A master-detail field is always required ("Relationships Among Objects", SOAP API Developer
  // Guide: the master-detail field is required on the detail record's page layout), so describe
  // answers it not nillable and not permissionable, as every required field: it has no field-level
  // security and a create without it is REQUIRED_FIELD_MISSING.
  // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/relationships_among_objects.htm
  const required = has('required') || relationshipOrder !== null;
  // Booleans are never nillable in Salesforce, yet they default to false and so stay permissionable.
  const nillable =
    type !== 'boolean' && !required && !has('autonumber') && !has('compound') && !has('system');
  const permissionable =
    objectKind === 'data' &&
    !required &&
    !has('system') &&
    !has('compound') &&
    !has('autonumber') &&
    name !== 'Id';
  let relationshipName: string | null = null;
  if (type === 'reference') {
    relationshipName = custom ? name.replace(/__c$/, '__r') : name.replace(/Id$/, '');
  }
  return {
    name,
    label: labelOf(name),
    type,
    referenceTo,
    relationshipName,
    nillable,
    permissionable,
    calculated: has('calculated'),
    createable: !readOnly && !has('updateonly'),
    updateable: !readOnly && !has('createonly'),
    externalId: has('external'),
    unique: has('unique'),
    caseSensitive: has('casesensitive'),
    filterable: !has('nofilter'),
    autoNumber: has('autonumber'),
    custom,
    length: length ?? defaultLength(type),
    picklistValues: typeof input === 'string' ? [] : [...(input.values ?? [])],
    inactivePicklistValues: typeof input === 'string' ? [] : [...(input.inactive ?? [])],
    restrictedPicklist: typeof input !== 'string' && input.restricted === true,
    relationshipOrder,
  };
}

/**
 * The objects whose Read a permission set must hold for any right on `object` (Salesforce checks
 * each permission set on its own: "Permission Read Contact depends on permission(s): Read
 * Account"). Contact, Opportunity and Contract need Read on Account; a custom object needs Read on
 * each of its master-detail masters.
 */
const STANDARD_PARENT_OBJECTS: Readonly<Record<string, readonly string[]>> = {
  contact: ['Account'],
  opportunity: ['Account'],
  contract: ['Account'],
};

/**
 * Turns Person Accounts on in a catalog, as Salesforce does for an org that asks: Account gains
 * IsPersonAccount (whose presence in Account's describe is how an API client tells the feature is
 * on) and PersonContactId. Salesforce's prerequisite for the feature is that whoever reads accounts
 * reads contacts, and it keeps it so: the simulator then asks Contact's Read in a permission set
 * holding Account rights (parentObjectsOf), as Contact's rights already ask Account's. The two
 * depend on each other, so a set gains them only in one DML statement (the rows of one statement
 * are checked together, see openDmlStatement); that is the project's model of an undocumented
 * validation, not something Salesforce documents.
 */
export function enablePersonAccounts(catalog: SchemaCatalog): void {
  const account = catalog.get('Account');
  if (!account) throw new Error('Person Accounts need the Account object');
  for (const [name, spec] of [
    ['IsPersonAccount', 'boolean system'],
    ['PersonContactId', 'reference:Contact system'],
  ] as const) {
    const field = parseFieldSpec(name, spec, account.kind);
    account.fields.set(name.toLowerCase(), field);
    if (field.relationshipName)
      account.relationships.set(field.relationshipName.toLowerCase(), field);
  }
}

export function parentObjectsOf(schema: ObjectSchema): string[] {
  const parents = [...(STANDARD_PARENT_OBJECTS[schema.name.toLowerCase()] ?? [])];
  // Person Accounts on (enablePersonAccounts): Account's rights need Contact's Read.
  if (schema.name === 'Account' && schema.fields.has('ispersonaccount')) parents.push('Contact');
  for (const field of schema.fields.values())
    if (field.relationshipOrder !== null) parents.push(...field.referenceTo);
  return [...new Set(parents)];
}

const AUDIT_FIELDS: Record<ObjectKind, Record<string, string>> = {
  data: {
    IsDeleted: 'boolean system',
    CreatedDate: 'datetime system',
    CreatedById: 'reference:User system',
    LastModifiedDate: 'datetime system',
    LastModifiedById: 'reference:User system',
    SystemModstamp: 'datetime system',
  },
  setup: {
    CreatedDate: 'datetime system',
    CreatedById: 'reference:User system',
    LastModifiedDate: 'datetime system',
    LastModifiedById: 'reference:User system',
    SystemModstamp: 'datetime system',
  },
  event: { CreatedDate: 'datetime system', CreatedById: 'reference:User system' },
};

/** Field schemas are immutable, so objects built from the same specs share them (800 objects in 'large'). */
const FIELD_CACHE = new Map<string, FieldSchema>();

function cachedField(name: string, spec: FieldSpecInput, kind: ObjectKind): FieldSchema {
  const key = `${kind}|${name}|${JSON.stringify(spec)}`;
  let field = FIELD_CACHE.get(key);
  if (!field) {
    field = Object.freeze(parseFieldSpec(name, spec, kind)) as FieldSchema;
    FIELD_CACHE.set(key, field);
  }
  return field;
}

export function buildObjectSchema(name: string, spec: ObjectSpec): ObjectSchema {
  const fields = new Map<string, FieldSchema>();
  const relationships = new Map<string, FieldSchema>();
  const add = (fieldName: string, fieldSpec: FieldSpecInput) => {
    const field = cachedField(fieldName, fieldSpec, spec.kind);
    fields.set(fieldName.toLowerCase(), field);
    if (field.relationshipName) relationships.set(field.relationshipName.toLowerCase(), field);
  };
  add('Id', 'id system');
  for (const [fieldName, fieldSpec] of Object.entries(spec.fields)) add(fieldName, fieldSpec);
  for (const [fieldName, fieldSpec] of Object.entries(AUDIT_FIELDS[spec.kind])) {
    if (!fields.has(fieldName.toLowerCase())) add(fieldName, fieldSpec);
  }
  return {
    name,
    label: spec.label,
    keyPrefix: spec.keyPrefix,
    kind: spec.kind,
    custom: spec.custom ?? (name.endsWith('__c') || name.endsWith('__e')),
    createable: spec.createable ?? true,
    objectPermissions: spec.kind === 'data' && spec.objectPermissions !== false,
    sharingModel:
      spec.kind === 'data' && (spec.sharingModel === 'Read' || spec.sharingModel === 'Private')
        ? spec.sharingModel
        : null,
    fields,
    relationships,
    validationRules: (spec.validationRules ?? []).map(compileRule),
    duplicateRules: [],
    recordTypes: [],
    children: new Map(
      Object.entries(spec.children ?? {}).map(([relationshipName, target]) => {
        const [childSObject = '', field = ''] = target.split('.');
        return [relationshipName.toLowerCase(), { relationshipName, childSObject, field }];
      }),
    ),
  };
}

/** The set of objects of one org, looked up case-insensitively. */
export class SchemaCatalog {
  private readonly objects = new Map<string, ObjectSchema>();

  add(schema: ObjectSchema): void {
    this.objects.set(schema.name.toLowerCase(), schema);
  }

  get(name: string): ObjectSchema | undefined {
    return this.objects.get(name.toLowerCase());
  }

  all(): ObjectSchema[] {
    return [...this.objects.values()];
  }

  field(objectName: string, fieldName: string): FieldSchema | undefined {
    return this.get(objectName)?.fields.get(fieldName.toLowerCase());
  }

  /**
   * Adds a field to an object, or redefines one (an admin adding or deactivating a picklist value):
   * describe, SOQL and writes see the new definition from the next request on. Throws when the org
   * has no such object.
   */
  setField(objectName: string, fieldName: string, spec: FieldSpecInput): FieldSchema {
    const schema = this.get(objectName);
    if (!schema) throw new Error(`No object ${objectName} in this org`);
    const before = schema.fields.get(fieldName.toLowerCase());
    if (before?.relationshipName)
      schema.relationships.delete(before.relationshipName.toLowerCase());
    const field = parseFieldSpec(before?.name ?? fieldName, spec, schema.kind);
    schema.fields.set(field.name.toLowerCase(), field);
    if (field.relationshipName)
      schema.relationships.set(field.relationshipName.toLowerCase(), field);
    return field;
  }

  /**
   * Adds a validation rule to an object (an admin creating one): writes are checked against it
   * and the Tooling API lists it from the next request on; `active: false` only lists it. Throws
   * when the org has no such object, or the formula is outside what the simulator evaluates.
   */
  addValidationRule(objectName: string, spec: ValidationRuleSpec): void {
    const schema = this.get(objectName);
    if (!schema) throw new Error(`No object ${objectName} in this org`);
    schema.validationRules.push(compileRule(spec));
  }

  /**
   * Adds a duplicate rule to an object (an admin creating one): the User Interface API's
   * duplicates resource lists it, when active, from the next request on. Throws when the org has
   * no such object.
   */
  addDuplicateRule(objectName: string, spec: DuplicateRuleSpec): void {
    const schema = this.get(objectName);
    if (!schema) throw new Error(`No object ${objectName} in this org`);
    schema.duplicateRules.push({ ...spec });
  }

  /**
   * Adds a record type to an object (an admin creating one), offering `values` of its picklists:
   * SOQL on RecordType and the User Interface API's picklist values by record type answer it from
   * the next request on. Returns its Id. Throws when the org has no such object.
   */
  addRecordType(objectName: string, spec: RecordTypeSpec): string {
    const schema = this.get(objectName);
    if (!schema) throw new Error(`No object ${objectName} in this org`);
    const count = this.all().reduce((n, s) => n + s.recordTypes.length, 0);
    const id = `012${String(count + 1).padStart(12, '0')}AAA`;
    schema.recordTypes.push({ ...spec, id });
    return id;
  }

  /** An org without an object (a package not installed there): SOQL on it gets INVALID_TYPE, REST 404. */
  dropObject(objectName: string): boolean {
    return this.objects.delete(objectName.toLowerCase());
  }

  /** Editions differ: some lack a Permissions* column. Dropping it makes SOQL raise INVALID_FIELD. */
  dropField(objectName: string, fieldName: string): boolean {
    const schema = this.get(objectName);
    const field = schema?.fields.get(fieldName.toLowerCase());
    if (!schema || !field) return false;
    schema.fields.delete(fieldName.toLowerCase());
    if (field.relationshipName) schema.relationships.delete(field.relationshipName.toLowerCase());
    return true;
  }
}
