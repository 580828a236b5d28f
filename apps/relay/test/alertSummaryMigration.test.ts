import { alertStoreOf } from '../src/store/alertStore.js';
import { createOldPortal, OLDER_SCHEMA_STORES } from './olderSchema.js';

// Alert target summaries written before URLs were masked hold a Slack or webhook URL whole, and
// its path or query is the credential. Migration 8 masks them in the row itself, with the masking
// the admin API uses; only target_sealed (encrypted) keeps the URL.

const SLACK_TOKEN = 'XyZsecretSlackToken0123456789';
const SLACK_URL = `https://hooks.slack.com/services/T0000001/B0000002/${SLACK_TOKEN}`;
const QUERY_TOKEN = 'qsecret-abcdef-0123456789';
const WEBHOOK_URL = `https://alerts.example.com/api/v2/ingest/pathsecret9876543210?token=${QUERY_TOKEN}`;
const SECRETS = [SLACK_TOKEN, 'T0000001', 'B0000002', QUERY_TOKEN, 'pathsecret9876543210'];
const EMAIL_SUMMARY = {
  from: 'relay@example.com',
  to: ['ops@example.com'],
  smtp: { host: 'smtp.example.com', port: 587, tls: 'starttls', user: 'relay' },
};

describe.each(OLDER_SCHEMA_STORES)('migration 8 on %s', (_name, setup) => {
  test('summaries stored with a whole URL hold the masked URL after it; other rows are left as they were', async () => {
    const { openRaw, openAt, openStore, cleanup } = await setup();
    try {
      // The store as a relay before migration 8 left it, and rows written the old way.
      const old = await openAt(7);
      await createOldPortal(old, 'm1');
      const insert = (id: string, kind: string, summary: unknown) =>
        old.execute(
          `INSERT INTO alert_targets (id, portal_id, kind, target_sealed, summary, created_at) VALUES ($1, 'm1', $2, 'sealed', $3, 1)`,
          [id, kind, JSON.stringify(summary)],
        );
      await insert('old-slack', 'slack', { webhookUrl: SLACK_URL });
      await insert('old-hook', 'webhook', { url: WEBHOOK_URL });
      await insert('masked-hook', 'webhook', { url: 'https://alerts.example.com/api/…' });
      await insert('mail', 'email', EMAIL_SUMMARY);
      await old.close();

      const store = await openStore();
      expect(await store.schemaVersion()).toBe(16);
      // Read through the store as the admin API reads it: the same masked text.
      const listed = await alertStoreOf(store).listAlertTargets('m1');
      expect(Object.fromEntries(listed.map((t) => [t.id, t.summary]))).toEqual({
        'old-slack': { webhookUrl: 'https://hooks.slack.com/services/…' },
        'old-hook': { url: 'https://alerts.example.com/api/…' },
        'masked-hook': { url: 'https://alerts.example.com/api/…' },
        mail: EMAIL_SUMMARY,
      });
      await store.close();

      // The raw rows: no secret left anywhere in them but the sealed target.
      const raw = await openRaw();
      try {
        const rows = await raw.query<{ id: string; summary: string; target_sealed: string }>(
          `SELECT id, summary, target_sealed FROM alert_targets ORDER BY id`,
        );
        expect(rows).toHaveLength(4);
        for (const row of rows)
          for (const secret of SECRETS) expect(row.summary).not.toContain(secret);
        expect(rows.map((r) => r.target_sealed)).toEqual(['sealed', 'sealed', 'sealed', 'sealed']);
        expect(JSON.parse(rows.find((r) => r.id === 'mail')!.summary)).toEqual(EMAIL_SUMMARY);
      } finally {
        await raw.close();
      }

      // Reopening applies nothing again.
      const again = await openStore();
      expect(await again.schemaVersion()).toBe(16);
      await again.close();
    } finally {
      await cleanup();
    }
  });
});
