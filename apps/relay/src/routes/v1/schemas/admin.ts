import { Type, type Static } from 'typebox';
import { HUBSPOT_PERMISSION_SET } from '@sync-doctor/core';
// The package's light entry point: loading the schemas does not load jsforce.
import { USER_ID_PATTERN } from '@sync-doctor/salesforce/ids';
import { Nullable, PORTAL_ID_PATTERN } from './common.js';

/**
 * HubSpot's integration user as the admin API takes it: a User Id (the pattern of
 * @sync-doctor/salesforce's isUserId, which the access watch then tells it apart by) or a username.
 */
const IntegrationUser = Type.String({
  maxLength: 80,
  pattern: `^(${USER_ID_PATTERN}|[^\\s@]+@[^\\s@]+)$`,
  description: `HubSpot's integration user, whose access the access watch checks: its username (name@example.com) or User Id (005…). Unset: found from the org's evidence (HubSpot's OAuth token, the ${HUBSPOT_PERMISSION_SET} set)`,
});

export const SalesforceJwtSchema = Type.Object(
  {
    kind: Type.Literal('jwt'),
    clientId: Type.String({
      minLength: 1,
      maxLength: 256,
      description: "The connected app's consumer key",
    }),
    username: Type.String({
      minLength: 3,
      maxLength: 256,
      description: 'The integration user that publishes the status',
    }),
    loginUrl: Type.String({
      pattern: '^https?://[^\\s/]+(:\\d+)?/?$',
      description: 'https://login.salesforce.com, https://test.salesforce.com or My Domain',
    }),
    privateKey: Type.String({
      minLength: 64,
      maxLength: 16_384,
      description: 'PEM private key whose certificate is on the connected app',
    }),
    integrationUser: Type.Optional(IntegrationUser),
  },
  { additionalProperties: false },
);

export const SalesforceTokenSchema = Type.Object(
  {
    kind: Type.Literal('token'),
    instanceUrl: Type.String({ pattern: '^https?://[^\\s/]+(:\\d+)?/?$' }),
    accessToken: Type.String({ minLength: 8, maxLength: 4096 }),
    integrationUser: Type.Optional(IntegrationUser),
  },
  {
    additionalProperties: false,
    description: 'A ready session: for the demo org simulator and short trials',
  },
);

export const SalesforceConnectionSchema = Type.Union([SalesforceJwtSchema, SalesforceTokenSchema]);

/** A domain name of two labels at least (a bare "com" would let any .com domain send). */
const DOMAIN_PATTERN =
  '^(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\\.?$';

export const SenderPolicySchema = Type.Object(
  {
    authservIds: Type.Array(
      Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
      {
        minItems: 1,
        maxItems: 10,
        description:
          "The authserv-id(s) the portal's own inbound mail service writes first in its Authentication-Results header (RFC 8601): mx.google.com for Gmail and Google Workspace, amazonses.com for Amazon SES... Only the topmost Authentication-Results header carrying one of them is read.",
      },
    ),
    domains: Type.Array(Type.String({ pattern: DOMAIN_PATTERN }), {
      minItems: 1,
      maxItems: 20,
      description:
        "Sender domains accepted, each with its subdomains: a message counts when that header says dkim=pass with header.d (else header.i's domain) among them, or dmarc=pass with header.from among them. HubSpot's own (hubspot.com) for its notices; for notices forwarded by a mail rule, the forwarding organisation's domain, since the service authenticates the forward, not HubSpot's notice inside it.",
    }),
  },
  { additionalProperties: false },
);
export type SenderPolicyBody = Static<typeof SenderPolicySchema>;

export const SenderPolicyView = Type.Object({
  senderPolicy: Nullable(SenderPolicySchema, {
    description: 'null: no policy, every message the inbound token or mailbox brings is read',
  }),
});

export const PortalViewSchema = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  salesforce: Type.Object({
    configured: Type.Boolean(),
    kind: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    loginUrl: Type.Optional(Type.String()),
    instanceUrl: Type.Optional(Type.String()),
    clientId: Type.Optional(Type.String()),
    integrationUser: Type.Optional(Type.String()),
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  senderPolicy: Nullable(SenderPolicySchema, {
    description:
      "Who may send the portal's notification e-mails (PUT .../sender-policy); null: anyone the inbound token or mailbox brings",
  }),
});

export const CreatePortalBody = Type.Object(
  {
    id: Type.String({ pattern: PORTAL_ID_PATTERN, description: 'HubSpot portal (hub) id' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    salesforce: Type.Optional(SalesforceConnectionSchema),
  },
  { additionalProperties: false },
);
export type CreatePortalBody = Static<typeof CreatePortalBody>;

export const DeletedPortal = Type.Null({
  description:
    "Deleted: the portal's configuration, signing secret, inbound token, Salesforce connection, state, history, outbox, kept e-mails, sync-error reports, HubSpot token, mailbox, alert targets, and the access watch's last check and requirements, in one transaction. Its open streams end; its next signed request is a 404. Deleting again is a 404.",
});

export const CreatedPortal = Type.Object({
  portal: PortalViewSchema,
  signingSecret: Type.String({ description: 'Shown once: signs webhooks (HMAC-SHA256)' }),
  inboundToken: Type.String({ description: 'Shown once: authenticates forwarded e-mails' }),
});
