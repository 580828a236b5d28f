import { Type } from '@sinclair/typebox';
import { DELIVERY_STATES } from '../../../store/types.js';
import { ChangeSchema, PageQuery } from './common.js';

export const HistoryResponse = Type.Object({
  items: Type.Array(ChangeSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const DeliveryStateSchema = Type.Union(
  DELIVERY_STATES.map((state) => Type.Literal(state)),
  {
    description:
      'pending: queued or retrying; delivered; failed: given up, needs a person (lastError says why; POST .../deliveries/retry re-queues); waitingForConnection: the portal has no Salesforce connection yet (NOT_CONFIGURED), delivered in order once one is set',
  },
);

export const DeliverySchema = Type.Object({
  id: Type.Integer(),
  changeId: Type.Integer(),
  state: DeliveryStateSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  createdAt: Type.String(),
});

export const DeliveriesQuery = Type.Composite([
  PageQuery,
  Type.Object({ state: Type.Optional(DeliveryStateSchema) }),
]);
export const DeliveriesResponse = Type.Object({
  items: Type.Array(DeliverySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
