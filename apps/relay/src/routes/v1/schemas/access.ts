import { Type, type Static } from '@sinclair/typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const AccessFindingSchema = Type.Object({
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  reason: Type.String({ description: 'The HubSpot suspension reason the finding leads to' }),
  rule: Nullable(Type.String({ description: 'The Salesforce rule that decided it' })),
  subject: Type.String({ description: "'Contact', 'Contact.Email', 'PermissionsApiEnabled', …" }),
  message: Type.String(),
  remedy: Type.String(),
});

export const AccessResponse = Type.Object(
  {
    portalId: Type.String(),
    watching: Type.Boolean({
      description:
        'Whether this instance runs the access watch (RELAY_ACCESS_WATCH on and, with several instances, the one holding the lead); the other fields are null or empty when not',
    }),
    configured: Type.Boolean({ description: 'Whether the portal has a Salesforce connection' }),
    status: Type.Union(
      [
        Type.Literal('healthy'),
        Type.Literal('at-risk'),
        Type.Literal('blocked'),
        Type.Literal('failing'),
        Type.Literal('pending'),
        Type.Literal('off'),
      ],
      {
        description:
          "The core's verdict of the last check; failing: the last check could not conclude (see error); pending: not checked yet; off: not watched here, or the portal has no Salesforce connection",
      },
    ),
    verdict: Nullable(
      Type.Union([Type.Literal('healthy'), Type.Literal('at-risk'), Type.Literal('blocked')], {
        description: 'The verdict of the last check that concluded',
      }),
    ),
    integrationUser: Nullable(
      Type.Object({ id: Nullable(Type.String()), username: Type.String() }),
    ),
    findings: Type.Array(AccessFindingSchema, {
      description: 'Error and warning findings of the last check that concluded',
    }),
    checkedAt: Nullable(Type.String({ description: 'The last check, concluded or not' })),
    concludedAt: Nullable(Type.String({ description: 'The last check that concluded' })),
    error: Nullable(Type.String({ description: 'Why the last check could not conclude' })),
    failingSince: Nullable(
      Type.String({ description: 'First of the consecutive checks that could not conclude' }),
    ),
    nextCheckAt: Nullable(Type.String()),
    requests: Nullable(Type.Integer({ description: 'Salesforce requests the last check sent' })),
  },
  { description: "The integration user's access as the access watch last found it" },
);
export type AccessResponse = Static<typeof AccessResponse>;
