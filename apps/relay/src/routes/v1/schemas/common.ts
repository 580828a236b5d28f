import {
  REASON_CODES,
  SIGNAL_SOURCES,
  STATUS_FIELD_LIMITS,
  SUSPENSION_STATES,
} from '@sync-doctor/core';
import { Type, type Static, type TSchemaOptions } from 'typebox';
import { HttpError } from '../../../errors.js';

/**
 * One of a fixed list of strings (the core's reason codes, states, kinds): a JSON Schema `enum`
 * that also says `type: string`, without which OpenAPI client generators type the value as any.
 */
export const StringEnum = <Values extends string[]>(
  values: readonly [...Values],
  options: TSchemaOptions = {},
) => Type.Enum(values, { type: 'string', ...options });

export const ReasonCodeSchema = StringEnum(REASON_CODES, {
  description: 'One of the eleven suspension reasons of HubSpot (see @sync-doctor/core)',
});

/**
 * A portal id: 1 to 32 letters, digits, '-' or '_'. 32 is what Salesforce keeps of it
 * (HubSpot_Sync_Status__c.Portal_Id__c, the event's and the settings' fields): a longer id would be
 * accepted here and then refused by Salesforce on every delivery. HubSpot's own ids are numbers.
 */
export const PORTAL_ID_PATTERN = `^[A-Za-z0-9_-]{1,${STATUS_FIELD_LIMITS.portalId}}$`;

export const PortalParams = Type.Object({
  portalId: Type.String({
    pattern: PORTAL_ID_PATTERN,
    description: 'HubSpot portal (hub) id',
  }),
});
export type PortalParams = Static<typeof PortalParams>;

const ErrorProperties = {
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  details: Type.Optional(Type.Unknown()),
};

const ErrorResponse = Type.Object(ErrorProperties, {
  $id: 'ErrorResponse',
  description: 'Every 4xx and 5xx has this shape',
});

/** The error shape, described for one status (OpenAPI shows it as the response's description). */
const errorAnswer = (description: string) => Type.Object(ErrorProperties, { description });

/**
 * 503, which any /v1 route can answer before its own work: the relay sheds load there
 * (plugins/loadShedding.ts; only /health, /health/live and /metrics answer under load) and every
 * route reads the store. A client generated from /docs/json must expect it and retry. Added to
 * every /v1 route by routes/v1/index.ts.
 */
export const UnavailableResponse = errorAnswer(
  'Unavailable for now; try again later (after Retry-After, when it is sent). UNDER_PRESSURE: the ' +
    'relay is overloaded and sheds load (any route); DATABASE_UNAVAILABLE: its database cannot be ' +
    'reached; STORAGE_UNAVAILABLE: its disk is full or failing writes (Retry-After 30); ' +
    'DATABASE_CONFLICT: PostgreSQL rolled the request back because another transaction held the ' +
    "same rows, on each of the relay's attempts; send the same request again (Retry-After 1); " +
    'DATABASE_BUSY: another connection to the SQLite store held its write lock too long; send the ' +
    'same request again (Retry-After 5); ADMIN_DISABLED: the admin API is off (no ' +
    'RELAY_ADMIN_TOKEN); SPOOL_BUSY or ' +
    'SPOOL_UNAVAILABLE: no room for a sync-errors upload; TOO_MANY_STREAMS: this instance has ' +
    'RELAY_MAX_STREAMS event streams open',
);

/**
 * 408 REQUEST_TIMEOUT, which every route with a request body can answer: each body keeps a pace
 * (plugins/bodyPace.ts). Fastify reads a body for every method but GET and HEAD, so routes/v1
 * adds it to each of those routes (index.ts), those without a body schema included.
 */
export const RequestTimeoutResponse = errorAnswer(
  'REQUEST_TIMEOUT: the request body did not arrive in time (a pause, or too slow on average); ' +
    'send it again',
);

/** A value or null (a date not reached yet, a reason not known). */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(
  schema: T,
  options: TSchemaOptions = {},
) => Type.Union([schema, Type.Null()], options);

const StateSchema = StringEnum(SUSPENSION_STATES);
const SourceSchema = StringEnum(SIGNAL_SOURCES);

const StatusHeadProperties = {
  portalId: Type.String(),
  state: StateSchema,
  reason: Nullable(ReasonCodeSchema),
  title: Nullable(Type.String()),
  since: Nullable(Type.String()),
  lastSeenAt: Nullable(Type.String()),
  clearedAt: Nullable(Type.String()),
  source: Nullable(SourceSchema),
  excerpt: Nullable(Type.String()),
};

export const RelayedStatusSchema = Type.Object({
  ...StatusHeadProperties,
  history: Type.Array(
    Type.Object({
      at: Type.String(),
      state: StateSchema,
      reason: Nullable(ReasonCodeSchema),
      source: SourceSchema,
      title: Type.Optional(Nullable(Type.String())),
    }),
  ),
});

/** A status without its history: what an input answers (the history is at /state and /history). */
const StatusHeadSchema = Type.Object(StatusHeadProperties, {
  description:
    "The portal's status after this signal, without its history (GET /state has it, GET /history pages every change)",
});

export const ChangeSchema = Type.Object({
  id: Type.Integer(),
  portalId: Type.String(),
  eventId: Nullable(Type.String()),
  source: SourceSchema,
  state: StateSchema,
  reason: Nullable(ReasonCodeSchema),
  title: Nullable(Type.String()),
  excerpt: Nullable(Type.String()),
  occurredAt: Type.String(),
  receivedAt: Type.String(),
});

export const SignalAccepted = Type.Object({
  duplicate: Type.Boolean({
    description: 'true when this eventId was received before: nothing changed',
  }),
  change: ChangeSchema,
  // Without the history: up to 50 entries (~6 KB) that a sender has no use for, and that every
  // answer would otherwise carry.
  status: StatusHeadSchema,
});

/**
 * A page's `limit` as the schema means it: Fastify's Ajv 8 coerces the query string "Infinity"
 * (or 1e999, or 400 digits) to Infinity and lets it through as an integer within 1..200, and the
 * store's SQL LIMIT then refused it (a 500). Anything but an integer in range is the 400 the
 * schema would have answered.
 */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200)
    throw new HttpError(
      400,
      'VALIDATION_FAILED',
      'invalid querystring: limit must be an integer from 1 to 200',
    );
  return limit;
}

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  404: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  429: ErrorResponse,
};
