/**
 * Set-up shared by the relay's mailbox OAuth tests (Microsoft 365 and Google): an OAuth-only
 * Dovecot with its fake authorization server, and the HubSpot notice the tests put in.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImapFlow } from 'imapflow';
import { SUSPENSION_REASONS } from '@sync-doctor/core';
// The throwaway Dovecot and fake authorization server of the hubspot-signals tests, reused as is.
import {
  connectImap,
  startDovecot,
  type Dovecot,
} from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import {
  startAuthServer,
  type FakeAuthServer,
} from '../../../packages/hubspot-signals/test/helpers/oauthServer.js';
import { selfSignedCertificate } from '../../../packages/hubspot-signals/test/helpers/selfSigned.js';
import type { ChildRelay } from './childRelay.js';
import { admin, waitFor } from './helpers.js';
import type { SignalsRelay } from './signalsHelpers.js';

interface OAuthMailbox {
  auth: FakeAuthServer;
  dovecot: Dovecot;
  /** The test's own client, logged in as the user with a token of its own, to put mail in. */
  imap: ImapFlow;
}

/**
 * A fake authorization server for `user` and a Dovecot that checks every XOAUTH2 or OAUTHBEARER
 * login against its introspection endpoint. What started is stopped again if a later step fails.
 */
export async function startOAuthMailbox(user: string): Promise<OAuthMailbox> {
  const started: Partial<OAuthMailbox> = {};
  try {
    started.auth = await startAuthServer(user);
    started.dovecot = await startDovecot({
      oauth2: { introspectionUrl: started.auth.introspectionUrl },
    });
    started.imap = await connectImap(started.dovecot, {
      user,
      accessToken: started.auth.issue(),
    });
    return started as OAuthMailbox;
  } catch (error) {
    await stopOAuthMailbox(started);
    throw error;
  }
}

/** Stops what of an OAuthMailbox was started (any part may be missing after a failed start). */
export async function stopOAuthMailbox(mailbox: Partial<OAuthMailbox>): Promise<void> {
  await mailbox.imap?.logout().catch(() => undefined);
  await mailbox.dovecot?.stop();
  await mailbox.auth?.stop();
}

/** HubSpot's notice that the portal `hub` was suspended for the API limit, sent an hour ago. */
export function suspensionNotice(to: string, id: string, hub: string): string {
  return [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    `To: ${to}`,
    'Subject: Your Salesforce integration has been suspended',
    `Message-ID: <${id}@notifications.hubspot.com>`,
    `Date: ${new Date(Date.now() - 3600_000).toUTCString()}`,
    '',
    `Your HubSpot-Salesforce integration for Hub ID ${hub} was suspended:`,
    '',
    SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en,
    '',
  ].join('\r\n');
}

/**
 * A fake authorization server for `user` over TLS, its self-signed certificate written into `dir`
 * for NODE_EXTRA_CA_CERTS, and the environment of a built relay (trace log, leader) whose shared
 * mailbox at 127.0.0.1:9 gets its token there; the client's own variables are the caller's.
 */
export async function startTlsAuthServer(
  user: string,
  dir: string,
): Promise<{ auth: FakeAuthServer; env: Record<string, string> }> {
  const cert = selfSignedCertificate('127.0.0.1');
  const auth = await startAuthServer(user, cert);
  const caFile = join(dir, 'token-ca.pem');
  writeFileSync(caFile, cert.cert);
  return {
    auth,
    env: {
      LOG_LEVEL: 'trace',
      NODE_EXTRA_CA_CERTS: caFile,
      RELAY_DATA_DIR: dir,
      RELAY_SIGNALS_LEADER: '1',
      RELAY_IMAP_HOST: '127.0.0.1',
      RELAY_IMAP_PORT: '9',
      RELAY_IMAP_USER: user,
      RELAY_IMAP_OAUTH_TOKEN_URL: auth.tokenUrl,
    },
  };
}

/** The built relay's first log line that has the token endpoint's OAuth `error`, once it is there. */
export async function refusedTokenLine(child: ChildRelay, error: string): Promise<string> {
  await waitFor(
    async () => child.output.some((line) => line.includes(error)),
    20_000,
    'the refused token request in the log',
  );
  return child.output.find((l) => l.includes(error))!;
}

/** The admin API's PUT of a portal's mailbox settings. */
export const putMailbox = (
  relay: SignalsRelay,
  portalId: string,
  payload: Record<string, unknown>,
) =>
  relay.app.inject({
    method: 'PUT',
    url: `/v1/admin/portals/${portalId}/mailbox`,
    headers: admin,
    payload,
  });

/** The admin API's GET of a portal's mailbox settings and state. */
export const getMailbox = (relay: SignalsRelay, portalId: string) =>
  relay.app.inject({ method: 'GET', url: `/v1/admin/portals/${portalId}/mailbox`, headers: admin });
