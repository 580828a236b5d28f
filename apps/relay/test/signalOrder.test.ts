import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// Signals reach the relay out of order: HubSpot retries a webhook the relay answered 5xx (shed,
// database down) for days, in any order with the ones after it; an e-mail notice is forwarded by
// a colleague the day after. A suspension that began before the portal was cleared does not
// suspend it again, and a clearance from before a suspension began does not clear it; each is
// still kept in the history. Within 5 minutes of each other (senders' clocks), arrival decides.

describe('a clearance and a suspension that arrive out of order', () => {
  let relay: TestRelay;
  const secrets = new Map<string, string>();
  const tokens = new Map<string, string>();
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  beforeAll(async () => {
    relay = await startTestRelay();
    for (const id of ['6100001', '6100002', '6100003', '6100004']) {
      const created = await createPortal(relay.app, id);
      secrets.set(id, created.signingSecret);
      tokens.set(id, created.inboundToken);
    }
  });
  afterAll(() => relay.close());

  const suspend = (portalId: string, eventId: string, occurredAt: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secrets.get(portalId)!, {
        reason: 'ORG_LOCKED',
        title: 'Salesforce org locked',
        occurredAt,
        eventId,
      }),
    });
  const clear = (portalId: string, eventId: string, occurredAt: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      ...signed(secrets.get(portalId)!, { eventId, occurredAt }),
    });
  const state = async (portalId: string) =>
    (
      await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/state`,
        headers: admin,
      })
    ).json();

  test('a suspension retried after the clearance that followed it leaves the portal cleared', async () => {
    expect((await suspend('6100001', 's-1', minutesAgo(30))).statusCode).toBe(202);
    const clearedAt = minutesAgo(10);
    expect((await clear('6100001', 'c-1', clearedAt)).statusCode).toBe(202);
    // The suspension's webhook again, under another id (a workflow re-enrolled), from before the clear.
    const late = await suspend('6100001', 's-1-again', minutesAgo(29));
    expect(late.statusCode).toBe(202);
    expect(late.json().status).toMatchObject({ state: 'cleared', clearedAt });
    expect(await state('6100001')).toMatchObject({ state: 'cleared', clearedAt });
    expect((await state('6100001')).history.map((h: { state: string }) => h.state)).toEqual([
      'suspended',
      'cleared',
      'suspended',
    ]);
  });

  test("HubSpot's notice forwarded after the clearance does not suspend the portal again", async () => {
    expect((await suspend('6100003', 's-1', minutesAgo(30))).statusCode).toBe(202);
    expect((await clear('6100003', 'c-1', minutesAgo(10))).statusCode).toBe(202);
    const raw = Buffer.from(
      [
        'From: HubSpot <noreply@notifications.hubspot.com>',
        'To: admin@example.com',
        'Subject: Your HubSpot-Salesforce integration has been suspended',
        `Date: ${new Date(Date.parse(minutesAgo(25))).toUTCString()}`,
        'Message-ID: <late-notice@notifications.hubspot.com>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Your HubSpot-Salesforce integration (Hub ID 6100003) was suspended: Salesforce org locked.',
        '',
      ].join('\r\n'),
    );
    const mailed = await relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${tokens.get('6100003')}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect(mailed.statusCode).toBe(202);
    expect(await state('6100003')).toMatchObject({ state: 'cleared' });
  });

  test("an inline forward's quoted time that names no zone may be off by hours: it does not judge the notice older than the clearance", async () => {
    expect((await suspend('6100004', 's-1', minutesAgo(300))).statusCode).toBe(202);
    expect((await clear('6100004', 'c-1', minutesAgo(10))).statusCode).toBe(202);
    // Outlook quotes "Sent:" in the forwarder's zone without naming it; read in the forward's own
    // zone (here UTC) it is an hour before the clearance, but the forwarder may be an hour ahead.
    const quoted = new Date(Date.parse(minutesAgo(70)));
    const sent = quoted.toLocaleString('en-US', {
      timeZone: 'UTC',
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    });
    const raw = Buffer.from(
      [
        'From: Jane Admin <jane@example.com>',
        'To: relay-inbound@example.com',
        'Subject: FW: Your HubSpot-Salesforce integration has been suspended',
        `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
        'Message-ID: <inline-no-zone@example.com>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'FYI',
        '',
        'From: HubSpot <noreply@notifications.hubspot.com>',
        `Sent: ${sent.replace(' at ', ' ')}`,
        'To: Jane Admin <jane@example.com>',
        'Subject: Your HubSpot-Salesforce integration has been suspended',
        '',
        'Your HubSpot-Salesforce integration (Hub ID 6100004) was suspended: Salesforce org locked.',
        '',
      ].join('\r\n'),
    );
    const mailed = await relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${tokens.get('6100004')}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect(mailed.statusCode).toBe(202);
    const stored = await relay.app.store.getChange('6100004', mailed.json().change.id);
    expect(stored!.detail).toMatchObject({
      dated: 'original',
      dateNote: expect.stringContaining('names no time zone'),
    });
    expect(await state('6100004')).toMatchObject({ state: 'suspended', reason: 'ORG_LOCKED' });
  });

  test('a clearance retried after a newer suspension leaves the portal suspended', async () => {
    expect((await suspend('6100002', 's-1', minutesAgo(30))).statusCode).toBe(202);
    expect((await clear('6100002', 'c-1', minutesAgo(20))).statusCode).toBe(202);
    const since = minutesAgo(5);
    expect((await suspend('6100002', 's-2', since)).statusCode).toBe(202);
    // The clearance's webhook once more (another id), from before the new suspension began.
    const late = await clear('6100002', 'c-1-again', minutesAgo(19));
    expect(late.statusCode).toBe(202);
    expect(await state('6100002')).toMatchObject({ state: 'suspended', since, clearedAt: null });
    // A clearance dated a little before it (a sender's clock behind), or after it, still clears.
    expect((await clear('6100002', 'c-2', minutesAgo(8))).json().status.state).toBe('cleared');
  });
});
