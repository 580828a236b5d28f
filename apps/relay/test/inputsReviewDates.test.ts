import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// Dates senders really write that the relay once read wrongly: a leap second in a webhook's
// occurredAt (RFC 3339 allows it, and the schema's date-time format accepts it), and a notice
// whose Date header cannot be read (mailparser then hands back the time of parsing).

describe('a leap second in occurredAt', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '6610001';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  test('a suspension dated 23:59:60 is accepted and dated the second after 23:59:59, not a 500', async () => {
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, {
        title: 'Salesforce org API limit exceeded',
        occurredAt: '2016-12-31T23:59:60Z',
        eventId: 'leap-1',
      }),
    });
    expect(response.statusCode).toBe(202);
    expect(response.json().change.occurredAt).toBe('2017-01-01T00:00:00.000Z');
  });

  test('with fractions and an offset too, and on clear', async () => {
    const suspended = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, {
        title: 'Salesforce org API limit exceeded',
        occurredAt: '2016-12-31T18:59:60.5-05:00',
        eventId: 'leap-2',
      }),
    });
    expect(suspended.statusCode).toBe(202);
    expect(suspended.json().change.occurredAt).toBe('2017-01-01T00:00:00.500Z');
    const cleared = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: { ...admin, 'content-type': 'application/json' },
      payload: { occurredAt: '2016-12-31T23:59:60Z', eventId: 'leap-clear' },
    });
    expect(cleared.statusCode).toBe(202);
    expect(cleared.json().change.occurredAt).toBe('2017-01-01T00:00:00.000Z');
  });
});

describe('a notice whose Date header cannot be read', () => {
  let relay: TestRelay;
  let token: string;
  const portalId = '6610002';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ inboundToken: token } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const notice = (messageId: string, date = 'Mon, 31 Foo 2026 25:61:00 +0000') =>
    Buffer.from(
      [
        'From: HubSpot <noreply@notifications.hubspot.com>',
        'Subject: Your HubSpot-Salesforce integration has been suspended',
        `Message-ID: <${messageId}@notifications.hubspot.com>`,
        `Date: ${date}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Salesforce org API limit exceeded. https://app.hubspot.com/integrations-settings/${portalId}/installed`,
      ].join('\r\n'),
      'utf8',
    );
  const detailOf = async (id: number) =>
    (await relay.app.store.listChanges(portalId, { limit: 100 })).items.find(
      (change) => change.id === id,
    )?.detail;
  const post = (raw: Buffer) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${token}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });

  test('counts from arrival and says so; it is keyed by its Message-ID, not by the minute it arrived', async () => {
    const response = await post(notice('unreadable-date-1'));
    expect(response.statusCode).toBe(202);
    const { change } = response.json();
    expect(change.eventId).toBe('email:<unreadable-date-1@notifications.hubspot.com>');
    expect(await detailOf(change.id)).toMatchObject({
      dated: 'arrival',
      dateNote: 'no readable date: counted from arrival',
    });
    // The inbound service's retry (later, whatever the minute) is the same notice.
    const again = await post(notice('unreadable-date-1'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, change: { id: change.id } });
  });

  test('another notice with the same subject and an unreadable date is not taken for the first', async () => {
    const first = await post(notice('unreadable-date-2', 'yesterday'));
    const second = await post(notice('unreadable-date-3', 'yesterday'));
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.json().duplicate).toBe(false);
    expect(second.json().change.id).not.toBe(first.json().change.id);
  });

  test('attached to a forward, its unreadable date gives way to the forward’s', async () => {
    const forward = Buffer.from(
      [
        'From: Admin <admin@example.com>',
        'Subject: Fwd: Your HubSpot-Salesforce integration has been suspended',
        'Message-ID: <forward-of-unreadable@example.com>',
        'Date: Mon, 30 Nov 2026 09:30:00 +0100',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'See attached.',
        '--b1',
        'Content-Type: message/rfc822',
        'Content-Disposition: attachment; filename="notice.eml"',
        '',
        notice('unreadable-date-4').toString('utf8'),
        '--b1--',
        '',
      ].join('\r\n'),
      'utf8',
    );
    const response = await post(forward);
    expect(response.statusCode).toBe(202);
    const { change } = response.json();
    expect(change).toMatchObject({
      occurredAt: '2026-11-30T08:30:00.000Z',
      eventId: 'email:<unreadable-date-4@notifications.hubspot.com>',
    });
    expect(await detailOf(change.id)).toMatchObject({ dated: 'forward' });
  });
});
