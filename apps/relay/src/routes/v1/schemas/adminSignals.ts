import { Type } from 'typebox';
import { Nullable, PORTAL_ID_PATTERN, StringEnum } from './common.js';

const TargetId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

export const HubSpotTokenBody = Type.Object(
  {
    token: Type.String({
      minLength: 8,
      maxLength: 2048,
      pattern: '^\\S+$',
      description:
        'A HubSpot private-app access token or service key with crm.objects.{contacts,companies,deals}.read',
    }),
  },
  { additionalProperties: false },
);

export const HubSpotTokenView = Type.Object({
  portalId: Type.String(),
  configured: Type.Boolean(),
  updatedAt: Nullable(Type.String()),
  detectorRunning: Type.Boolean({
    description: 'Whether this instance runs the stalled-sync detector',
  }),
  lastCheck: Type.Optional(
    Nullable(
      Type.Object(
        {
          at: Type.String(),
          verdict: Type.String(),
          state: Type.String(),
          error: Nullable(
            Type.String({
              description:
                'Why the check could not conclude, e.g. "HubSpot refused the access token (401) …"',
            }),
          ),
          failingSince: Nullable(
            Type.String({ description: 'First of the consecutive checks that failed' }),
          ),
          warnings: Type.Array(Type.String(), {
            description:
              'What the check could not watch although it concluded, e.g. "contacts are not checked: … add the scope crm.objects.contacts.read …"',
          }),
          nextCheckAt: Nullable(
            Type.String({
              description:
                "When the portal's next check is due on this instance, which runs the detector. Null on an instance that does not run it (detectorRunning: false; several instances on PostgreSQL, only the leading one's timer knows), and when no check is scheduled",
            }),
          ),
          checkedBy: Type.String({
            description: 'The instance (RELAY_INSTANCE_ID) that ran the check',
          }),
        },
        {
          description:
            "The detector's last check of the portal since its token was stored, whichever instance ran it: kept in the store, so every instance answers the same and it outlives a restart or a change of leader (null: none yet)",
        },
      ),
    ),
  ),
});

export const DetectorCheckView = Type.Object({
  portalId: Type.String(),
  at: Type.String(),
  verdict: Type.String(),
  state: Type.String(),
  transition: Nullable(Type.String()),
  evidence: Type.Unknown(),
  requests: Type.Integer(),
  error: Type.Optional(Type.String()),
  retryAfterMs: Type.Optional(Type.Integer()),
  warnings: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'Object types left out because the token lacks their read scope, and what to add',
    }),
  ),
  status: Type.Unknown({ description: 'The portal status after the check was applied' }),
});

/**
 * What an instance that does not run the detector answers (202): it handed the check to the one
 * that does, which took it and runs it now; the outcome is not in this answer.
 */
export const DetectorCheckQueuedView = Type.Object(
  {
    portalId: Type.String(),
    queued: Type.Literal(true),
    requestId: Type.String({ description: "The hand-off's id, as the leading instance logs it" }),
    message: Type.String(),
    status: Type.String({
      description:
        "Where the portal's status is read, with the check's outcome applied once it is done (any instance answers it)",
    }),
    hubspot: Type.String({
      description:
        "Where the check's details are read once it ran: lastCheck {at, verdict, error, ...} (any instance answers it)",
    }),
  },
  {
    description:
      "Accepted: this instance does not run the stalled-sync detector, so it handed the check to the instance that does, which took it and runs it now (or, if the lead moves first, the instance leading next). Its verdict is not in this answer: read the portal status, or the portal's HubSpot settings (lastCheck).",
  },
);

/**
 * OAuth 2.0 client credentials for a mailbox, one object for both kinds so a mistake is named
 * field by field (packages/hubspot-signals validateMailboxOAuth) rather than as a failed union.
 */
const MailboxOAuthBody = Type.Object(
  {
    kind: StringEnum(['microsoft365', 'client-credentials', 'google-service-account'], {
      description:
        'microsoft365: Exchange Online app-only access (tenantId, clientId, clientSecret; the token comes from login.microsoftonline.com for https://outlook.office365.com/.default). client-credentials: any OAuth 2.0 token endpoint (tokenUrl, clientId, clientSecret, scope). google-service-account: Google Workspace, a service account with domain-wide delegation reading the mailbox of `user` (clientEmail, privateKey: client_email and private_key of its JSON key; tokenUrl defaults to https://oauth2.googleapis.com/token, scope to https://mail.google.com/)',
    }),
    tenantId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description:
          'microsoft365 only: the directory (tenant) id, or a domain such as contoso.onmicrosoft.com',
      }),
    ),
    tokenUrl: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        description:
          'client-credentials (required) and google-service-account (optional, its token_uri): https (http only to loopback where the relay allows plain-text IMAP to loopback); a non-public address is refused unless RELAY_ALLOW_PRIVATE_TARGETS=true',
      }),
    ),
    scope: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description: 'client-credentials and google-service-account only',
      }),
    ),
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: 'microsoft365, client-credentials',
      }),
    ),
    clientSecret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        writeOnly: true,
        description: 'microsoft365, client-credentials: kept encrypted, never returned nor logged',
      }),
    ),
    clientEmail: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 320,
        description: "google-service-account: the service account's e-mail (client_email)",
      }),
    ),
    privateKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 16384,
        writeOnly: true,
        description:
          'google-service-account: its RSA private key in PEM (private_key of the JSON key), checked when saved; kept encrypted, never returned nor logged',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MailboxBody = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    tls: Type.Optional(
      StringEnum(['implicit', 'starttls', 'none'], {
        description:
          'implicit (993, default) or starttls; none only to loopback when the relay allows it',
      }),
    ),
    user: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        writeOnly: true,
        description:
          'The IMAP password, kept encrypted, never returned; or give oauth instead (exactly one of them)',
      }),
    ),
    oauth: Type.Optional(MailboxOAuthBody),
    mailbox: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    moveTo: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const MailboxView = Type.Object({
  portalId: Type.String(),
  configured: Type.Boolean(),
  host: Type.String(),
  port: Type.Optional(Type.Integer()),
  tls: Type.String(),
  user: Type.String(),
  auth: StringEnum(['password', 'oauth'], {
    description:
      'How the relay logs in: the password, or OAuth (client credentials or a Google service account, see oauth)',
  }),
  oauth: Type.Optional(
    Type.Object(
      {
        kind: Type.String(),
        tenantId: Type.Optional(Type.String()),
        tokenUrl: Type.Optional(Type.String({ description: 'Without its query string' })),
        scope: Type.Optional(Type.String()),
        clientId: Type.Optional(Type.String()),
        clientEmail: Type.Optional(Type.String({ description: 'google-service-account' })),
      },
      { description: 'The OAuth client, never its secret nor private key' },
    ),
  ),
  mailbox: Type.String(),
  moveTo: Type.Optional(Type.String()),
  reading: Type.Boolean({ description: 'Whether this instance reads it now' }),
  connected: Type.Optional(
    Nullable(
      Type.Boolean({
        description:
          'Whether the IMAP session is up now (false: server down, refused login; the relay keeps retrying); null when this instance does not read it',
      }),
    ),
  ),
  lastError: Type.Optional(
    Nullable(
      Type.String({
        description:
          'Why the last connection attempt failed while not connected (the server down, a refused login, DESTINATION_REFUSED: the host or token URL resolves to a non-public address, OAUTH_TOKEN_REFUSED: the token endpoint refused the client credentials or a service account assertion, with its OAuth error, IMAP_LOGIN_REFUSED: the server refused the token); null when connected or not read here',
      }),
    ),
  ),
});

const WebhookTargetBody = Type.Object(
  {
    kind: Type.Literal('webhook'),
    id: Type.Optional(TargetId),
    url: Type.String({ maxLength: 2048, description: 'https (http only to loopback)' }),
    secret: Type.String({
      minLength: 16,
      maxLength: 512,
      description:
        'Signs each POST (x-sync-doctor-signature: v1=<hex HMAC-SHA256 of timestamp.body>)',
    }),
  },
  { additionalProperties: false },
);

const SlackTargetBody = Type.Object(
  {
    kind: Type.Literal('slack'),
    id: Type.Optional(TargetId),
    webhookUrl: Type.String({ maxLength: 2048, description: 'Slack incoming-webhook URL' }),
  },
  { additionalProperties: false },
);

const EmailTargetBody = Type.Object(
  {
    kind: Type.Literal('email'),
    id: Type.Optional(TargetId),
    from: Type.String({ maxLength: 320 }),
    to: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: 50 }),
    smtp: Type.Object(
      {
        host: Type.String({ minLength: 1, maxLength: 255 }),
        port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
        tls: Type.Optional(StringEnum(['implicit', 'starttls', 'none'])),
        allowPlainOnLoopback: Type.Optional(Type.Boolean()),
        auth: Type.Optional(
          Type.Object(
            { user: Type.String({ maxLength: 320 }), pass: Type.String({ maxLength: 1024 }) },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const AlertTargetBody = Type.Union([WebhookTargetBody, SlackTargetBody, EmailTargetBody]);

export const AlertTargetParams = Type.Object({
  portalId: Type.String({ pattern: PORTAL_ID_PATTERN }),
  targetId: TargetId,
});

export const AlertTargetView = Type.Object(
  {
    id: Type.String(),
    portalId: Type.String(),
    kind: Type.String(),
    createdAt: Type.String(),
  },
  {
    additionalProperties: true,
    description:
      'Plus what identifies the target without its secret (url, Slack origin, from/to/smtp host)',
  },
);

export const TestSendResult = Type.Object({
  ok: Type.Boolean(),
  key: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
  retryable: Type.Optional(Type.Boolean()),
});

/** An alert's state: what the list shows and what its `status` query filters by. */
export const AlertDeliveryStatusSchema = StringEnum(['pending', 'sent', 'failed']);

export const AlertDeliveryView = Type.Object({
  id: Type.Integer(),
  targetId: Type.String(),
  changeId: Type.Integer(),
  dedupKey: Type.String(),
  status: AlertDeliveryStatusSchema,
  headline: Nullable(Type.String()),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
});
