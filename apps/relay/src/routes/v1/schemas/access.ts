import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from './common.js';

const AccessFindingSchema = Type.Object({
  severity: StringEnum(['error', 'warning']),
  reason: Type.String({
    description:
      'The HubSpot suspension reason the finding leads to; for a warning also ACCESS_SECTION_UNREAD (a section not read, so not checked) or INTEGRATION_USER_EVIDENCE_UNREAD',
  }),
  rule: Nullable(Type.String({ description: 'The Salesforce rule that decided it' })),
  subject: Type.String({
    description:
      "'Contact', 'Contact.Email', 'PermissionsApiEnabled', …; for ACCESS_SECTION_UNREAD the section: 'UserLogin.IsFrozen', 'LoginHistory' or 'ConnectedApplication'",
  }),
  message: Type.String(),
  remedy: Type.String(),
});

export const AccessResponse = Type.Object(
  {
    portalId: Type.String(),
    watching: Type.Boolean({
      description:
        'Whether the access watch is on (RELAY_ACCESS_WATCH) on this deployment. The last check is read from the store, so every instance answers the same, whichever instance ran it (see checkedBy)',
    }),
    running: Type.Boolean({
      description:
        'Whether this instance runs the checks (with several instances, the one holding the lead)',
    }),
    configured: Type.Boolean({ description: 'Whether the portal has a Salesforce connection' }),
    status: StringEnum(['healthy', 'at-risk', 'blocked', 'failing', 'pending', 'off'], {
      description:
        "The core's verdict of the last check; failing: the last check could not conclude (see error); pending: not checked yet; off: the access watch is off, or the portal has no Salesforce connection",
    }),
    verdict: Nullable(
      StringEnum(['healthy', 'at-risk', 'blocked'], {
        description: 'The verdict of the last check that concluded',
      }),
    ),
    integrationUser: Nullable(
      Type.Object({ id: Nullable(Type.String()), username: Type.String() }),
    ),
    findings: Type.Array(AccessFindingSchema, {
      description:
        "Error and warning findings of the last check that concluded. What the check did not cover is a warning too, never an alert: reason ACCESS_SECTION_UNREAD names a section the relay's Salesforce user could not read, so it was not judged and its absence of errors means nothing (subject 'UserLogin.IsFrozen': whether the integration user is frozen, needs Manage Users; 'LoginHistory': whether its logins are refused, needs Manage Users or Monitor Login History; 'ConnectedApplication': HubSpot's connected app policy, needs Customize Application). With the README's relay user all three are unread. Reason INTEGRATION_USER_EVIDENCE_UNREAD names evidence for finding the integration user that could not be read",
    }),
    checkedAt: Nullable(Type.String({ description: 'The last check, concluded or not' })),
    concludedAt: Nullable(Type.String({ description: 'The last check that concluded' })),
    error: Nullable(Type.String({ description: 'Why the last check could not conclude' })),
    failingSince: Nullable(
      Type.String({ description: 'First of the consecutive checks that could not conclude' }),
    ),
    nextCheckAt: Nullable(
      Type.String({
        description:
          'When the instance running the watch has the next check due; a time long past means no instance runs it now',
      }),
    ),
    requests: Nullable(Type.Integer({ description: 'Salesforce requests the last check sent' })),
    checkedBy: Nullable(
      Type.String({ description: 'The instance (RELAY_INSTANCE_ID) that ran the last check' }),
    ),
    requirements: Nullable(
      Type.Object(
        {
          source: StringEnum(['default', 'portal']),
          updatedAt: Nullable(Type.String()),
        },
        {
          description:
            "The requirements the last concluded check was judged with: HubSpot's defaults, or the portal's own (PUT /v1/admin/portals/:portalId/access-requirements) as set at updatedAt",
        },
      ),
    ),
  },
  { description: "The integration user's access as the access watch last found it" },
);
export type AccessResponse = Static<typeof AccessResponse>;

export const AccessRequirementsBody = Type.Unknown({
  description:
    "The portal's requirements document, the JSON the CLI takes with --requirements FILE: a JSON object with objects ([{ name: 'Contact', access: ['read', 'edit'] }]), fields ([{ name: 'Contact.Tier__c', access: ['read', 'edit'], hubspotProperty?: 'tier' }]), permissionSets and systemPermissions (arrays of names), replaceDefaults (true: these instead of HubSpot's defaults, else added to them), $schema and description. Checked by the core's rules (requirementsFromDocument); a 400 names the bad place.",
});

const AccessRequirementsSchema = Type.Object(
  {
    objects: Type.Array(Type.Object({ name: Type.String(), access: Type.Array(Type.String()) })),
    fields: Type.Array(
      Type.Object({
        name: Type.String(),
        access: Type.Array(Type.String()),
        hubspotProperty: Type.Optional(Type.String()),
      }),
    ),
    permissionSets: Type.Array(Type.String()),
    systemPermissions: Type.Array(Type.String()),
  },
  {
    description:
      "The requirements the access watch judges the portal with (null: the document set no longer passes the core's rules; the watch reports that as the check's error)",
  },
);

export const AccessRequirementsView = Type.Object({
  portalId: Type.String(),
  configured: Type.Boolean({
    description: "true: the portal's own document is set; false: HubSpot's defaults are used",
  }),
  document: Nullable(
    Type.Record(Type.String(), Type.Unknown(), { description: 'The document as it was set' }),
  ),
  updatedAt: Nullable(Type.String()),
  effective: Nullable(AccessRequirementsSchema),
});
export type AccessRequirementsView = Static<typeof AccessRequirementsView>;
