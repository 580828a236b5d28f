import { Type, type Static } from 'typebox';
import { ReasonCodeSchema } from './common.js';

export const SuspensionBody = Type.Object(
  {
    reason: Type.Optional(ReasonCodeSchema),
    title: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'The heading HubSpot showed, e.g. "Salesforce org API limit exceeded"',
      }),
    ),
    message: Type.Optional(
      Type.String({
        maxLength: 20_000,
        description: 'Any text HubSpot showed; classified when reason is absent',
      }),
    ),
    occurredAt: Type.String({ format: 'date-time' }),
    eventId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Unique per event: a redelivery with the same id changes nothing',
    }),
  },
  { additionalProperties: false },
);
export type SuspensionBody = Static<typeof SuspensionBody>;

export const ClearBody = Type.Object(
  {
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ClearBody = Static<typeof ClearBody>;
