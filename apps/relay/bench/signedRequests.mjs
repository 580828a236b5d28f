// autocannon requests that report a suspension the way a sender does: each a new event (a new
// eventId, so every request is a durable write, not an idempotent redelivery), signed with the
// relay's own signPayload. Shared by relay.bench.mjs and instructions.bench.mjs.
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signPayload } from '../dist/index.js';

export function signedSuspensionRequests(path, secret, eventIdPrefix) {
  let sequence = 0;
  return [
    {
      method: 'POST',
      path,
      setupRequest(request) {
        const body = JSON.stringify({
          reason: 'API_LIMIT_EXCEEDED',
          title: 'Salesforce org API limit exceeded',
          occurredAt: new Date().toISOString(),
          eventId: `${eventIdPrefix}-${sequence++}`,
        });
        const timestamp = String(Math.floor(Date.now() / 1000));
        return {
          ...request,
          body,
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
          },
        };
      },
    },
  ];
}
