import { randomBytes } from 'node:crypto';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { ImapFlow } from 'imapflow';
import { SUSPENSION_REASONS } from '@sync-doctor/core';
// The throwaway Dovecot and test helpers of the hubspot-signals tests, reused as they are.
import {
  startDovecot,
  type Dovecot,
  connectImap,
} from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import { fakeDns } from '../../../packages/hubspot-signals/test/helpers/fakeDns.js';
import {
  startForwarder,
  type Forwarder,
} from '../../../packages/hubspot-signals/test/helpers/forwarder.js';
import { selfSignedCertificate } from '../../../packages/hubspot-signals/test/helpers/selfSigned.js';
import { admin, createPortal, waitFor } from './helpers.js';
import { signalsConfig, startSignalsRelay } from './signalsHelpers.js';

jest.setTimeout(60_000);

// A portal's mailbox host, set by an admin, passes the save-time check (a name is not resolved
// there) and resolves to loopback later (DNS rebinding): with the default rule the relay resolves
// it at every (re)connect, refuses it before connecting, and says so where an SRE looks; the IMAP
// server never sees a connection, let alone the login. The name is the test's DNS; a counting
// TLS forwarder with a certificate for that name stands in front of Dovecot.

const NAME = 'imap.rebind.example';
const PASSWORD_MARK = 'mailbox-password-';
let dovecot: Dovecot;
let secure: Forwarder;
let cert: { key: string; cert: string };
let imap: ImapFlow;
let dns: ReturnType<typeof fakeDns>;
const systemCAs = getCACertificates('default');

beforeAll(async () => {
  dovecot = await startDovecot();
  cert = selfSignedCertificate(NAME);
  secure = await startForwarder(dovecot.port, cert);
  // The relay takes no CA per mailbox: trust the test's certificate as a public CA would be.
  setDefaultCACertificates([...systemCAs, cert.cert]);
  imap = await connectImap(dovecot);
});
beforeEach(() => {
  dns = fakeDns({ [NAME]: '127.0.0.1' });
});
afterEach(() => dns.restore());
afterAll(async () => {
  setDefaultCACertificates(systemCAs);
  await imap?.logout().catch(() => undefined);
  await secure?.close();
  await dovecot?.stop();
});

const signals = (
  shared: {
    host: string;
    port: number;
    tls: 'implicit';
    user: string;
    password: string;
    mailbox: string;
  } | null = null,
) =>
  signalsConfig({
    alerts: { enabled: false },
    mailbox: {
      enabled: true,
      allowPlainOnLoopback: false,
      pollIntervalMs: 1000,
      reconnect: { minDelayMs: 100, maxDelayMs: 500 },
      shared,
    },
  });

const notice = (id: string, hub: string) =>
  [
    'From: HubSpot <noreply@notifications.hubspot.com>',
    'To: hubspot-alerts@example.com',
    'Subject: Your Salesforce integration has been suspended',
    `Message-ID: <${id}@notifications.hubspot.com>`,
    `Date: ${new Date(Date.now() - 3600_000).toUTCString()}`,
    '',
    `Your HubSpot-Salesforce integration for Hub ID ${hub} was suspended:`,
    '',
    SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en,
    '',
  ].join('\r\n');

const state = async (
  relay: { app: { inject: (o: object) => Promise<{ json(): { state?: string } }> } },
  portalId: string,
) =>
  (
    await relay.app.inject({ method: 'GET', url: `/v1/portals/${portalId}/state`, headers: admin })
  ).json().state;

describe('notification mailbox and the outbound rule (RELAY_ALLOW_PRIVATE_TARGETS)', () => {
  it('default rule: a mailbox name that resolves to loopback is refused at connect time; nothing reaches the server; GET mailbox and /health say why', async () => {
    const relay = await startSignalsRelay({
      signals: signals(),
      overrides: { allowPrivateTargets: false },
    });
    try {
      await createPortal(relay.app, '4900', null);
      const password = `${PASSWORD_MARK}${randomBytes(4).toString('hex')}`;
      const put = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4900/mailbox',
        headers: admin,
        payload: { host: NAME, port: secure.port, user: dovecot.user, password },
      });
      // The save-time check does not resolve names: it passes, as a name that rebinds later would.
      expect(put.statusCode).toBe(200);
      // Refused once, and again at the plugin's retry.
      await waitFor(
        async () => ((dns.asked.get(NAME) ?? 0) >= 2 ? true : false),
        10_000,
        'two refused attempts',
      );
      const refusal = `DESTINATION_REFUSED: ${NAME} resolves to 127.0.0.1, which is not a public address (loopback, private, link-local or reserved); the relay connects only to public addresses unless RELAY_ALLOW_PRIVATE_TARGETS=true`;
      const shown = await relay.app.inject({
        method: 'GET',
        url: '/v1/admin/portals/4900/mailbox',
        headers: admin,
      });
      expect(shown.json()).toMatchObject({
        portalId: '4900',
        host: NAME,
        reading: true,
        connected: false,
        lastError: refusal,
      });
      expect(shown.body).not.toContain(password);
      const health = await relay.app.inject({ method: 'GET', url: '/health', headers: admin });
      expect(health.json().signals).toMatchObject({
        mailboxes: { reading: 1, disconnected: 1 },
        failing: { '4900': `mailbox: no IMAP session (${refusal})` },
      });
      expect(health.body).not.toContain(password);
      // Counts only without the admin token.
      const anonymous = await relay.app.inject({ method: 'GET', url: '/health' });
      expect(anonymous.json().signals).toEqual({ mailboxes: { reading: 1, disconnected: 1 } });
      // Not one connection reached the IMAP server, so no login.
      expect(secure.connections).toBe(0);
    } finally {
      await relay.close();
    }
  });

  it('private targets allowed: the same mailbox is read, over TLS checked against the name', async () => {
    const folder = 'Allowed1';
    await imap.mailboxCreate(folder);
    await imap.append(folder, notice('allowed-1', '4901'));
    const relay = await startSignalsRelay({
      signals: signals(),
      overrides: { allowPrivateTargets: true },
    });
    try {
      await createPortal(relay.app, '4901');
      const before = secure.connections;
      const put = await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4901/mailbox',
        headers: admin,
        payload: {
          host: NAME,
          port: secure.port,
          user: dovecot.user,
          password: dovecot.pass,
          mailbox: folder,
        },
      });
      expect(put.statusCode).toBe(200);
      await waitFor(
        async () => ((await state(relay, '4901')) === 'suspended' ? true : false),
        20_000,
        'the notice read from the mailbox',
      );
      const shown = (
        await relay.app.inject({
          method: 'GET',
          url: '/v1/admin/portals/4901/mailbox',
          headers: admin,
        })
      ).json();
      expect(shown).toMatchObject({ connected: true, lastError: null });
      expect(secure.connections).toBeGreaterThan(before);
      expect(secure.servernames.at(-1)).toBe(NAME);
      expect(dns.asked.get(NAME)).toBeGreaterThanOrEqual(1);
    } finally {
      await relay.close();
    }
  });

  it("the shared mailbox (RELAY_IMAP_*, the SRE's configuration) is not held to the rule", async () => {
    const folder = 'Shared1';
    await imap.mailboxCreate(folder);
    await imap.append(folder, notice('shared-1', '4902'));
    const relay = await startSignalsRelay({
      signals: signals({
        host: NAME,
        port: secure.port,
        tls: 'implicit',
        user: dovecot.user,
        password: dovecot.pass,
        mailbox: folder,
      }),
      overrides: { allowPrivateTargets: false },
    });
    try {
      await createPortal(relay.app, '4902', null);
      await relay.app.mailboxes!.processNow('shared');
      await waitFor(
        async () => ((await state(relay, '4902')) === 'suspended' ? true : false),
        20_000,
        'the notice read from the shared mailbox',
      );
      expect(relay.app.mailboxes!.connected('shared')).toBe(true);
    } finally {
      await relay.close();
    }
  });
});
