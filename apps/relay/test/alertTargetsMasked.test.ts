import { alertStoreOf } from '../src/store/alertStore.js';
import { maskUrl } from '../src/routes/v1/adminSignals.js';
import { admin, createPortal } from './helpers.js';
import { signalsConfig, startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// A Slack incoming-webhook URL is a credential (anyone holding it can post to the channel), and so
// is any webhook URL with a token in its path or query: the admin API shows them masked, as it
// shows no other secret.

const SLACK_TOKEN = 'XyZsecretSlackToken0123456789';
const SLACK_URL = `https://hooks.slack.com/services/T0000001/B0000002/${SLACK_TOKEN}`;
const QUERY_TOKEN = 'qsecret-abcdef-0123456789';
const WEBHOOK_URL = `https://alerts.example.com/api/v2/ingest/pathsecret9876543210?token=${QUERY_TOKEN}`;
const PORTAL = '5150001';

describe('alert target URLs are never returned whole', () => {
  let relay: SignalsRelay;

  beforeAll(async () => {
    relay = await startSignalsRelay({
      signals: signalsConfig(),
      overrides: { allowPrivateTargets: false },
    });
    await createPortal(relay.app, PORTAL, null);
  });
  afterAll(async () => relay.close());

  const secrets = [SLACK_TOKEN, 'T0000001', 'B0000002', QUERY_TOKEN, 'pathsecret9876543210'];
  const expectNoSecret = (text: string) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
  };

  it('masks them at creation and in the list', async () => {
    const slack = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: { kind: 'slack', id: 'ops-slack', webhookUrl: SLACK_URL },
    });
    expect(slack.statusCode).toBe(201);
    expect(slack.json()).toMatchObject({
      id: 'ops-slack',
      webhookUrl: 'https://hooks.slack.com/services/…',
    });
    const hook = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: {
        kind: 'webhook',
        id: 'ops-hook',
        url: WEBHOOK_URL,
        secret: 'a-secret-of-16-chars',
      },
    });
    expect(hook.statusCode).toBe(201);
    expect(hook.json()).toMatchObject({ url: 'https://alerts.example.com/api/…' });
    expectNoSecret(slack.body + hook.body);

    const list = await relay.app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
    });
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual(['ops-hook', 'ops-slack']);
    expectNoSecret(list.body);
    // Nor is the URL kept in the clear beside the sealed target.
    const stored = await alertStoreOf(relay.app.store).listAlertTargets(PORTAL);
    expectNoSecret(JSON.stringify(stored.map((t) => t.summary)));
  });

  it('masks a summary stored whole by an earlier version', async () => {
    const store = alertStoreOf(relay.app.store);
    await store.createAlertTarget({
      id: 'old-slack',
      portalId: PORTAL,
      kind: 'slack',
      targetSealed: 'unused',
      summary: { webhookUrl: SLACK_URL },
    });
    await store.createAlertTarget({
      id: 'old-hook',
      portalId: PORTAL,
      kind: 'webhook',
      targetSealed: 'unused',
      summary: { url: WEBHOOK_URL },
    });
    const list = await relay.app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
    });
    expectNoSecret(list.body);
    expect(list.json().find((t: { id: string }) => t.id === 'old-slack')).toMatchObject({
      webhookUrl: 'https://hooks.slack.com/services/…',
    });
  });

  it('does not echo a refused URL in the error', async () => {
    const refused = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/alert-targets`,
      headers: admin,
      payload: {
        kind: 'slack',
        webhookUrl: `http://hooks.slack.com/services/T0000001/B0000002/${SLACK_TOKEN}`,
      },
    });
    expect(refused.statusCode).toBe(400);
    expectNoSecret(refused.body);
  });

  it.each([
    ['https://hooks.slack.com/services/T1/B2/tok', 'https://hooks.slack.com/services/…'],
    ['https://example.com/abcdef0123456789', 'https://example.com/…'],
    ['https://example.com/hook', 'https://example.com/hook'],
    ['https://example.com/', 'https://example.com/'],
    ['https://example.com/hook?token=x', 'https://example.com/hook/…'],
    ['https://example.com:8443/a/b/c', 'https://example.com:8443/a/b/…'],
    ['https://user:pw@example.com/x#frag', 'https://example.com/x'],
    ['not a url', '…'],
  ])('maskUrl(%s) is %s', (raw, masked) => {
    expect(maskUrl(raw)).toBe(masked);
    expect(maskUrl(masked)).toBe(masked);
  });
});
