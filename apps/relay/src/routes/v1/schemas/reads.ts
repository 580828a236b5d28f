import { Type } from '@sinclair/typebox';
import { ChangeSchema, PageQuery } from './common.js';

export const HistoryResponse = Type.Object({ items: Type.Array(ChangeSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const DeliveryStateSchema = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]);

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

export const DeliveriesQuery = Type.Composite([PageQuery, Type.Object({ state: Type.Optional(DeliveryStateSchema) })]);
export const DeliveriesResponse = Type.Object({ items: Type.Array(DeliverySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });
