import { SYNC_ERROR_KINDS } from '@sync-doctor/core';
import { Type } from 'typebox';
import { Nullable, ReasonCodeSchema, StringEnum } from './common.js';

const SyncErrorKindSchema = StringEnum(
  // The core's list: a kind it adds is described here at once (a finding whose kind the schema
  // lacked could not be serialized).
  SYNC_ERROR_KINDS,
  {
    description:
      "What kind of error the group is (@sync-doctor/core's syncErrorKind), from a Salesforce status code in the error type or message first (FIELD_CUSTOM_VALIDATION_EXCEPTION: custom-code, DUPLICATES_DETECTED: duplicate, INACTIVE_OWNER_OR_USER: owner, ...), then HubSpot's and Salesforce's words, then the group's suspension reason",
  },
);

const FindingSchema = Type.Object(
  {
    reason: Nullable(ReasonCodeSchema, {
      description:
        'The suspension reason this kind of error leads to, or null (validation rules, duplicates, picklist values, an inactive record owner ...)',
    }),
    errorType: Type.String(),
    object: Nullable(Type.String()),
    field: Nullable(
      Type.String({ description: "as the export's field column or Salesforce's message names it" }),
    ),
    count: Type.Integer({
      description:
        'rows in the group, or the records they stand for when the export has an affected-records column',
    }),
    rows: Type.Optional(
      Type.Integer({ description: 'rows in the group, when count counts records' }),
    ),
    example: Nullable(
      Type.String({ description: "the group's first message, cut at 500 characters" }),
    ),
    kind: SyncErrorKindSchema,
    label: Type.String({ description: "the kind's short name ('Custom code in Salesforce')" }),
    step: Type.String({
      description:
        "What to do about the group, naming its Salesforce field or objects where it says which: @sync-doctor/core's advice for the kind (syncErrorKindInfo), the words the app, the CLI and the report give",
    }),
    messageTruncated: Type.Optional(
      Type.Literal(true, {
        description:
          'the message was longer than the relay keeps (4,096 characters): judged from its start',
      }),
    ),
  },
  { additionalProperties: true },
);

/** Counts by a key (an error type, an object, 'Object.Field'), as the export spells it. */
const Counts = (description: string) =>
  Type.Object({}, { additionalProperties: true, description });

/** What an upload answers: counts and the groups it found, largest first. */
const UploadedReportSchema = Type.Object(
  {
    encoding: Type.String(),
    delimiter: Type.String(),
    columns: Type.Object(
      {},
      { additionalProperties: true, description: "the export's headers the relay read, by column" },
    ),
    rows: Type.Integer(),
    records: Type.Optional(
      Type.Integer({
        description: 'records the rows stand for, when the export has an affected-records column',
      }),
    ),
    byErrorType: Counts('count by error type'),
    byObject: Counts('count by object'),
    byField: Counts("count by field ('Object.Field' when the export names both)"),
    findings: Type.Array(FindingSchema, {
      description: 'the groups, at most 200: those naming a field first, then the largest',
    }),
    truncatedGroups: Type.Boolean(),
  },
  { additionalProperties: true },
);

export const ReportSchema = Type.Object({
  id: Type.Integer(),
  portalId: Type.String(),
  receivedAt: Type.String(),
  report: Type.Object(
    {},
    {
      additionalProperties: true,
      description:
        "The report as its upload answered it (see the upload's 201); one saved by an older relay may lack what was added since (a finding's kind and label, and a step in its older wording)",
    },
  ),
});

/** How the upload's summary reaches Salesforce (store/types.ts SyncErrorsCarriage). */
const SALESFORCE_CARRIAGE = [
  'queued',
  'delivered',
  'waits-for-retry',
  'waits-for-first-status',
  'no-connection',
  'waits-for-next-delivery',
] as const;

export const UploadSchema = Type.Object({
  ...ReportSchema.properties,
  report: UploadedReportSchema,
  salesforce: StringEnum(SALESFORCE_CARRIAGE, {
    description:
      "How the upload's summary (its largest groups, the fields they name) reaches the portal's status record in Salesforce (Sync_Errors__c). " +
      "'queued': the portal's newest status is sent again (or is on its way) carrying it; " +
      "'delivered': the newest delivery already carried it; " +
      "'waits-for-retry': the portal's newest delivery was given up, and its retry (POST .../deliveries/retry, or the automatic re-queue) carries it; " +
      "'waits-for-first-status': no status of the portal was relayed yet, and the first one carries it; " +
      "'no-connection': the portal has no Salesforce connection, and its first delivery once one is set carries it; " +
      "'waits-for-next-delivery': the relay could not check just now; the portal's next delivery carries it.",
  }),
});
