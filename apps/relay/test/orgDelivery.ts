import { generateKeyPairSync } from 'node:crypto';
import { STATUS_EVENT } from '@sync-doctor/core';
import type { OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import type { RelayConfig } from '../src/config.js';
import { admin, signed } from './helpers.js';

// What the delivery tests against the org simulator share: a JWT connected app and a portal
// connected through it, the outbox settings, a numbered change to send, and what came of it (the
// portal's deliveries, the changes an org received, read back by their titles).

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

/** A connected app's consumer key and the RSA key pair its certificate holds, for JWT log-ins. */
export function jwtApp(clientId: string): { clientId: string; publicKey: string; pem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clientId,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A portal's JWT connection to an org, as the admin API takes it. */
export function jwtConnection(
  jwt: { clientId: string; pem: string },
  org: OrgSimulator,
  username = org.adminUser.Username,
) {
  return {
    kind: 'jwt' as const,
    clientId: jwt.clientId,
    username,
    loginUrl: org.url,
    privateKey: jwt.pem,
  };
}

/**
 * Assigns one of the package's permission sets (read from force-app into the simulator) to the
 * relay's own user, as the README has the admin do.
 */
export function assignToRelayUser(org: OrgSimulator, setName: string): void {
  const set = org.org.table('PermissionSet').find((r) => r.Name === setName);
  if (!set) throw new Error(`the simulator has no permission set ${setName}`);
  org.org.insert(
    'PermissionSetAssignment',
    {
      AssigneeId: org.relayUser.Id,
      PermissionSetId: set.Id,
      PermissionSetGroupId: null,
      ExpirationDate: null,
      IsActive: true,
    },
    '',
  );
}

/** The outbox settings of these tests: fast rounds and retries, overridden where a test needs. */
export function fastOutbox(overrides: Partial<RelayConfig['outbox']> = {}): RelayConfig['outbox'] {
  return {
    enabled: true,
    pollIntervalMs: 20,
    leaseMs: 10_000,
    batchSize: 20,
    maxAttempts: 8,
    baseDelayMs: 10,
    maxDelayMs: 50,
    ...overrides,
  };
}

/**
 * Creates a portal with a Salesforce connection (and, if given, the integration user to watch)
 * through the admin API; its signing secret. The answer never carries the private key.
 */
export async function createConnectedPortal(
  app: FastifyInstance,
  id: string,
  salesforce: ReturnType<typeof jwtConnection> & { integrationUser?: string },
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/admin/portals',
    headers: admin,
    payload: { id, salesforce },
  });
  expect(response.statusCode).toBe(201);
  expect(response.body).not.toContain('PRIVATE KEY');
  return response.json().signingSecret as string;
}

/** A portal's deliveries, newest first, as GET /deliveries lists them. */
export async function deliveriesOf(
  app: FastifyInstance,
  portalId: string,
): Promise<{ state: string; attempts: number; lastError: string | null; result: unknown }[]> {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/portals/${portalId}/deliveries`,
    headers: admin,
  });
  return response.json().items;
}
