import { STATUS_EVENT } from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { signed } from './helpers.js';

// What the delivery tests against the org simulator share: a numbered change to send, and the
// changes an org received, read back by their titles.

/** Signed suspension number `n` of a portal: title `<portal>#<n>`, one second after number n-1. */
export function sendNumbered(
  app: FastifyInstance,
  secret: string,
  portalId: string,
  n: number,
  eventPrefix: string,
) {
  return app.inject({
    method: 'POST',
    url: `/v1/portals/${portalId}/suspensions`,
    ...signed(secret, {
      reason: 'UNKNOWN_ERROR',
      title: `${portalId}#${n}`,
      occurredAt: new Date(Date.UTC(2026, 10, 28, 12, 0, n)).toISOString(),
      eventId: `${eventPrefix}-${portalId}-${n}`,
    }),
  });
}

/** The titles of the status events an org received for a portal, in the order published. */
export function publishedTitles(org: OrgSimulator, portalId: string): unknown[] {
  return org.publishedEvents
    .filter(
      (e) =>
        e.sobjectType === STATUS_EVENT.name && e.payload[STATUS_EVENT.fields.portalId] === portalId,
    )
    .map((e) => e.payload[STATUS_EVENT.fields.title]);
}
