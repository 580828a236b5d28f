import { Type } from 'typebox';
import { DELIVERY_STATES } from '../../../store/types.js';
import { ChangeSchema, Nullable, PageQuery, StringEnum } from './common.js';

/**
 * Which date a change counts from, when an e-mail or the detector made it (the stored change's
 * detail): the detector dates a suspicion from the portal's last sync, so the check's own time is
 * told apart (last-sync), or says why it could not (detection).
 */
export const DATINGS = [
  'message',
  'original',
  'forward',
  'arrival',
  'last-sync',
  'detection',
] as const;

/**
 * A change as history lists it: the change, and for one made by an e-mail or the detector which
 * date it counts from, so an admin can tell HubSpot's own date from a forward's, and the portal's
 * last sync from the detector's check.
 */
const HistoryItem = Type.Evaluate(
  Type.Intersect([
    ChangeSchema,
    Type.Object({
      dated: Type.Optional(
        StringEnum(DATINGS, {
          description:
            "e-mails: message (the notice's own Date), original (the notice inside a forward), forward (the forward's date: the notice's could not be read, or was later than the forward), arrival (its date was in the future); detector suspicions: last-sync (the portal's last Salesforce sync, the newest salesforcelastsynctime: nothing synced since), detection (the check's own time: no record carries a sync time, or it was after the check)",
        }),
      ),
      dateNote: Type.Optional(
        Type.String({
          description: 'why that date, or which time zone was assumed (detector: when it checked)',
        }),
      ),
    }),
  ]),
);

export const HistoryResponse = Type.Object({
  items: Type.Array(HistoryItem),
  nextCursor: Nullable(Type.String()),
});

const DeliveryStateSchema = StringEnum(DELIVERY_STATES, {
  description:
    "pending: queued or retrying (lastError RESEND: sent again after the portal's Salesforce connection changed); delivered (result.supersededBy: given up or failed before, then carried by that later change's status, not sent again); failed: given up and no later change delivered since, needs a person (lastError says why; POST .../deliveries/retry re-queues) unless lastError ends [AUTO-RETRY: …]: the relay re-queues it once Salesforce answers, nextAttemptAt is the next check; waitingForConnection: the portal has no Salesforce connection yet (NOT_CONFIGURED), delivered in order once one is set",
});

const DeliverySchema = Type.Object({
  id: Type.Integer(),
  changeId: Type.Integer(),
  state: DeliveryStateSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  result: Nullable(Type.Object({}, { additionalProperties: true })),
  createdAt: Type.String(),
});

export const DeliveriesQuery = Type.Evaluate(
  Type.Intersect([PageQuery, Type.Object({ state: Type.Optional(DeliveryStateSchema) })]),
);
export const DeliveriesResponse = Type.Object({
  items: Type.Array(DeliverySchema),
  nextCursor: Nullable(Type.String()),
});
