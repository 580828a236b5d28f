/**
 * SNAPSHOT_SCHEMA: the JSON Schema of the snapshot (see ./types.ts), and validateSnapshot, which
 * names the first bad path. Records are Salesforce REST records, so the schema is lenient where
 * Salesforce is: `attributes` and extra fields are allowed everywhere, and optional fields accept the
 * `null` Salesforce returns for empty values. It insists only on what the diagnosis reads.
 *
 * Not listed, so accepted as any extra key is: `reader` and the describes' `hiddenFromReader`
 * (types.ts), which only a collector reading as a user with fewer rights than an admin writes (the
 * Node collector as the relay's user). The app's Apex describes in system mode, sees every object
 * and field and never writes them, and every key listed here is one the Apex must write (the
 * package's snapshot contract test).
 */
import { firstSchemaError, type JsonSchema } from './jsonSchema.js';
import type { Snapshot } from './types.js';

const attributes: JsonSchema = {
  type: 'object',
  properties: { type: { type: 'string' }, url: { type: ['string', 'null'] } },
};
const optionalString: JsonSchema = { type: ['string', 'null'] };
const optionalBoolean: JsonSchema = { type: ['boolean', 'null'] };
const id: JsonSchema = { type: 'string' };
const nameRef: JsonSchema = {
  type: ['object', 'null'],
  properties: { attributes, Name: optionalString },
};

const organization: JsonSchema = {
  type: 'object',
  required: ['Id'],
  properties: {
    attributes,
    Id: id,
    Name: optionalString,
    InstanceName: optionalString,
    IsSandbox: optionalBoolean,
    OrganizationType: optionalString,
    DefaultAccountAccess: optionalString,
    DefaultContactAccess: optionalString,
    DefaultLeadAccess: optionalString,
    DefaultOpportunityAccess: optionalString,
    DefaultCampaignAccess: optionalString,
    DefaultCaseAccess: optionalString,
    DefaultCalendarAccess: optionalString,
  },
};

const user: JsonSchema = {
  type: 'object',
  required: ['Id', 'Username', 'IsActive'],
  properties: {
    attributes,
    Id: id,
    Username: { type: 'string' },
    Name: optionalString,
    IsActive: { type: 'boolean' },
    UserPermissionsMarketingUser: optionalBoolean,
    IsFrozen: optionalBoolean,
    ProfileId: optionalString,
    Profile: nameRef,
  },
};

const permissionSet: JsonSchema = {
  type: 'object',
  required: ['Id', 'Name', 'IsOwnedByProfile'],
  // Every other Permissions* column is a boolean when present; extra columns are welcome.
  properties: {
    attributes,
    Id: id,
    Name: { type: 'string' },
    Label: optionalString,
    Type: optionalString,
    IsOwnedByProfile: { type: 'boolean' },
    HasActivationRequired: optionalBoolean,
    Profile: nameRef,
    PermissionsApiEnabled: optionalBoolean,
    PermissionsViewSetup: optionalBoolean,
    PermissionsModifyAllData: optionalBoolean,
    PermissionsViewAllData: optionalBoolean,
    PermissionsEditTask: optionalBoolean,
    PermissionsEditEvent: optionalBoolean,
    PermissionsViewAllUsers: optionalBoolean,
    PermissionsManageUsers: optionalBoolean,
    PermissionsUpdateWithInactiveOwner: optionalBoolean,
  },
};

/**
 * The PermissionSet columns evaluateAccess reads (besides Requirements.systemPermissions): what a
 * collector (jsforce or Apex) must select on PermissionSetAssignment.PermissionSet.
 */
export const PERMISSION_SET_FIELDS = [
  'Id',
  'Name',
  'Label',
  'Type',
  'IsOwnedByProfile',
  'HasActivationRequired',
  'Profile.Name',
  'PermissionsApiEnabled',
  'PermissionsViewSetup',
  'PermissionsModifyAllData',
  'PermissionsViewAllData',
  'PermissionsEditTask',
  'PermissionsEditEvent',
  'PermissionsViewAllUsers',
  'PermissionsManageUsers',
  // Read to answer an inactive-owner sync error (SIDE_PERMISSIONS); absent until the org turns on
  // Setup > User Interface > "Enable 'Set Audit Fields upon Record Creation' and 'Update Records
  // with Inactive Owners' User Permissions".
  'PermissionsUpdateWithInactiveOwner',
] as const;

/**
 * The MutingPermissionSet columns evaluateAccess reads (PermissionSetAssignment.PermissionSetGroup.
 * MutingPermissionSets[]): its name, and the system permissions it may mute that HubSpot needs
 * (true = muted). A collector that selects the Permissions* columns lets the findings name the set
 * that mutes "Edit Tasks" or "Edit Events" rather than every set of the group; without them
 * (absent, not false) each set is named as one that may.
 */
export const MUTING_PERMISSION_SET_FIELDS = [
  'Id',
  'DeveloperName',
  'MasterLabel',
  'PermissionsApiEnabled',
  'PermissionsEditTask',
  'PermissionsEditEvent',
] as const;

const assignment: JsonSchema = {
  type: 'object',
  required: ['PermissionSetId', 'PermissionSet'],
  properties: {
    attributes,
    Id: id,
    AssigneeId: optionalString,
    PermissionSetId: id,
    PermissionSetGroupId: optionalString,
    ExpirationDate: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date-time' }] },
    PermissionSet: permissionSet,
    PermissionSetGroup: {
      type: ['object', 'null'],
      properties: {
        attributes,
        Id: id,
        DeveloperName: optionalString,
        MasterLabel: optionalString,
        Status: optionalString,
        HasActivationRequired: optionalBoolean,
        // Optional: older snapshots and readers do not have it (absent = not read).
        MutingPermissionSets: {
          type: ['array', 'null'],
          items: {
            type: 'object',
            required: ['Id'],
            properties: {
              attributes,
              Id: id,
              DeveloperName: optionalString,
              MasterLabel: optionalString,
              // What it mutes, when read (MUTING_PERMISSION_SET_FIELDS); absent = not read.
              PermissionsApiEnabled: optionalBoolean,
              PermissionsEditTask: optionalBoolean,
              PermissionsEditEvent: optionalBoolean,
            },
          },
        },
        // Optional: the group's regular sets (absent = not read).
        PermissionSets: {
          type: ['array', 'null'],
          items: {
            type: 'object',
            required: ['Id', 'Name'],
            properties: { attributes, Id: id, Name: { type: 'string' }, Label: optionalString },
          },
        },
      },
    },
  },
};

const objectPermissions: JsonSchema = {
  type: 'object',
  required: [
    'ParentId',
    'SobjectType',
    'PermissionsRead',
    'PermissionsCreate',
    'PermissionsEdit',
    'PermissionsDelete',
    'PermissionsViewAllRecords',
    'PermissionsModifyAllRecords',
  ],
  properties: {
    attributes,
    ParentId: id,
    SobjectType: { type: 'string' },
    PermissionsRead: { type: 'boolean' },
    PermissionsCreate: { type: 'boolean' },
    PermissionsEdit: { type: 'boolean' },
    PermissionsDelete: { type: 'boolean' },
    PermissionsViewAllRecords: { type: 'boolean' },
    PermissionsModifyAllRecords: { type: 'boolean' },
    PermissionsViewAllFields: optionalBoolean,
  },
};

const fieldPermissions: JsonSchema = {
  type: 'object',
  required: ['ParentId', 'SobjectType', 'Field', 'PermissionsRead', 'PermissionsEdit'],
  properties: {
    attributes,
    ParentId: id,
    SobjectType: { type: 'string' },
    Field: { type: 'string' },
    PermissionsRead: { type: 'boolean' },
    PermissionsEdit: { type: 'boolean' },
  },
};

const fieldDescribe: JsonSchema = {
  type: 'object',
  required: ['permissionable', 'calculated'],
  properties: {
    permissionable: { type: 'boolean' },
    calculated: { type: 'boolean' },
    autoNumber: optionalBoolean,
    nillable: optionalBoolean,
    type: optionalString,
    referenceTo: { type: ['array', 'null'], items: { type: 'string' } },
    exists: optionalBoolean,
    createable: optionalBoolean,
    updateable: optionalBoolean,
    hiddenFromReader: optionalBoolean,
    picklistValues: { type: ['array', 'null'], items: { type: 'string' } },
    restrictedPicklist: optionalBoolean,
  },
};

const objectDescribe: JsonSchema = {
  type: 'object',
  required: ['exists'],
  properties: {
    exists: { type: 'boolean' },
    masterDetailParents: { type: ['array', 'null'], items: { type: 'string' } },
    personAccounts: optionalBoolean,
    createable: optionalBoolean,
    updateable: optionalBoolean,
    hiddenFromReader: optionalBoolean,
  },
};

/** The user who read the org, named when something was hidden from it (ReaderRecord). */
const reader: JsonSchema = {
  type: ['object', 'null'],
  required: ['Username'],
  properties: {
    attributes,
    Id: optionalString,
    Username: { type: 'string' },
    Name: optionalString,
  },
};

const maxRemaining: JsonSchema = {
  type: 'object',
  required: ['Max', 'Remaining'],
  properties: { Max: { type: 'number' }, Remaining: { type: 'number' } },
};

const limitEntry: JsonSchema = {
  type: 'object',
  required: ['Max', 'Remaining'],
  properties: { Max: { type: 'number' }, Remaining: { type: 'number' } },
  // Per-connected-app usage ("HubSpot": { Max, Remaining }) sits beside Max and Remaining.
  additionalProperties: { anyOf: [{ type: 'number' }, maxRemaining] },
};

/**
 * How collectors read `logins`: LoginHistory of the integration user over the last days, newest
 * first. A week covers a suspension noticed days late (HubSpot's e-mail is opt-in); 200 rows are a
 * week of hourly token refreshes with room for retries, and keep the read one small query.
 */
export const LOGIN_HISTORY_DAYS = 7;
export const LOGIN_HISTORY_LIMIT = 200;
export const LOGIN_HISTORY_FIELDS = [
  'LoginTime',
  'Status',
  'Application',
  'LoginType',
  'SourceIp',
] as const;

const loginHistory: JsonSchema = {
  type: 'object',
  required: ['LoginTime', 'Status'],
  properties: {
    attributes,
    LoginTime: { type: 'string', format: 'date-time' },
    Status: { type: 'string' },
    Application: optionalString,
    LoginType: optionalString,
    SourceIp: optionalString,
  },
};

/**
 * How collectors read `connectedApps`: ConnectedApplication rows WHERE Name LIKE this (the core
 * then keeps HubSpot's own app, not its sales extension), and SetupEntityAccess rows of type
 * 'ConnectedApplication' whose ParentId is one of the user's assigned permission sets or profile.
 */
export const CONNECTED_APP_NAME_LIKE = '%HubSpot%';
export const CONNECTED_APP_FIELDS = [
  'Id',
  'Name',
  'OptionsAllowAdminApprovedUsersOnly',
  'OptionsHasSessionLevelPolicy',
  'OptionsRefreshTokenValidityMetric',
  'RefreshTokenValidityPeriod',
] as const;
export const CONNECTED_APP_ACCESS_FIELDS = ['ParentId', 'SetupEntityId'] as const;

const connectedApps: JsonSchema = {
  type: ['object', 'null'],
  required: ['apps', 'access'],
  properties: {
    apps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['Id', 'Name'],
        properties: {
          attributes,
          Id: { type: 'string' },
          Name: { type: 'string' },
          OptionsAllowAdminApprovedUsersOnly: optionalBoolean,
          OptionsHasSessionLevelPolicy: optionalBoolean,
          OptionsRefreshTokenValidityMetric: optionalBoolean,
          RefreshTokenValidityPeriod: { type: ['number', 'null'] },
        },
      },
    },
    access: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ParentId', 'SetupEntityId'],
        properties: {
          attributes,
          ParentId: { type: 'string' },
          SetupEntityId: { type: 'string' },
        },
      },
    },
  },
};

/**
 * Whether the user's frozen state was read, and why not (frozenRead.ts's FrozenRead): the Apex
 * reader always puts it, the Node collector when it asked UserLogin. `cause` is a plain string, so
 * a cause this core does not know yet passes (uncheckedOf reads it as 'error').
 */
const frozenRead: JsonSchema = {
  type: ['object', 'null'],
  required: ['read'],
  properties: {
    read: { type: 'boolean' },
    frozen: optionalBoolean,
    cause: optionalString,
    errorCode: optionalString,
    message: optionalString,
  },
};

export const SNAPSHOT_SCHEMA: JsonSchema = {
  description:
    'Sync Doctor snapshot: what a Salesforce org says about one HubSpot integration user.',
  type: 'object',
  required: ['capturedAt'],
  properties: {
    schemaVersion: { enum: [1] },
    capturedAt: { type: 'string', format: 'date-time' },
    // A section may also be null (Apex serializes an unset member as null): it counts as absent.
    organization: { ...organization, type: ['object', 'null'] },
    user: { ...user, type: ['object', 'null'] },
    assignments: { type: ['array', 'null'], items: assignment },
    objectPermissions: { type: ['array', 'null'], items: objectPermissions },
    fieldPermissions: { type: ['array', 'null'], items: fieldPermissions },
    fields: { type: ['object', 'null'], additionalProperties: fieldDescribe },
    objects: { type: ['object', 'null'], additionalProperties: objectDescribe },
    absentPermissions: { type: ['array', 'null'], items: { type: 'string' } },
    reader,
    limits: { type: ['object', 'null'], additionalProperties: limitEntry },
    logins: { type: ['array', 'null'], items: loginHistory },
    connectedApps,
    frozenRead,
  },
};

export type SnapshotValidation =
  { ok: true; snapshot: Snapshot } | { ok: false; path: string; message: string };

/** Checks a parsed JSON value against SNAPSHOT_SCHEMA; on failure names the first bad path. */
export function validateSnapshot(value: unknown): SnapshotValidation {
  const error = firstSchemaError(SNAPSHOT_SCHEMA, value);
  if (error) return { ok: false, path: error.path, message: error.message };
  return { ok: true, snapshot: value as Snapshot };
}
