import { randomBytes } from 'node:crypto';
import { startChildRelay, type ChildRelay } from './childRelay.js';
import { databaseHop } from './databaseHop.js';
import { ADMIN_TOKEN, POSTGRES_URL, postgresSchema, signed, waitFor } from './helpers.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('the PostgreSQL connection dropping under a running relay', () => {
  const children: ChildRelay[] = [];
  afterAll(async () => {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
  });

  test('/health answers 503 while it is down, the relay stays up and its live streams hear other instances again once it is back', async () => {
    const { schema, drop } = await postgresSchema();
    const hop = await databaseHop();
    const env = {
      DATABASE_SCHEMA: schema,
      RELAY_SECRET_KEY: randomBytes(32).toString('base64'),
      RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
    };
    try {
      const a = await startChildRelay({
        ...env,
        DATABASE_URL: hop.url,
        RELAY_INSTANCE_ID: 'a',
        RELAY_OUTBOX_POLL_MS: '20',
      });
      children.push(a);
      const b = await startChildRelay({
        ...env,
        DATABASE_URL: POSTGRES_URL,
        RELAY_INSTANCE_ID: 'b',
      });
      children.push(b);
      const created = await fetch(`${a.url}/v1/admin/portals`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ id: '9300001' }),
      });
      expect(created.status).toBe(201);
      const { signingSecret } = (await created.json()) as { signingSecret: string };

      await hop.cut();
      const down = await waitFor(
        async () => {
          const response = await fetch(`${a.url}/health`);
          return response.status === 503
            ? ((await response.json()) as { database: string })
            : false;
        },
        15_000,
        'a 503 from /health',
      );
      expect(down.database).toBe('unavailable');
      expect((await fetch(`${a.url}/health/live`)).status).toBe(200);
      // The API says the database is away (503, retry), not that the relay failed (500).
      const state = await fetch(`${a.url}/v1/portals/9300001/state`, { headers: auth });
      expect(state.status).toBe(503);
      expect(state.headers.get('retry-after')).toBe('5');
      const answer = (await state.json()) as { code: string; error: string };
      expect(answer.code).toBe('DATABASE_UNAVAILABLE');
      expect(answer.error).not.toMatch(/127\.0\.0\.1|ECONN/);
      expect(a.process.exitCode).toBeNull();
      expect(a.output.join('\n')).not.toContain('closing after an uncaught error');

      // The outbox polls every 20 ms: its failing rounds are logged once, not 50 times a second.
      await waitFor(
        () => a.output.some((line) => line.includes('outbox round failed')),
        10_000,
        'a failed outbox round in the log',
      );
      await hop.restore();
      await waitFor(
        async () => (await fetch(`${a.url}/health`)).status === 200,
        15_000,
        '/health back to 200',
      );
      await waitFor(
        () => a.output.some((line) => line.includes('outbox round: the database answers again')),
        10_000,
        'the outbox saying the database answers again',
      );
      const failedRounds = a.output.filter((line) => line.includes('outbox round failed'));
      expect(failedRounds).toHaveLength(1);
      expect(failedRounds[0]).not.toContain('"stack"');
      // Ready again only once LISTEN is back: a change stored by B reaches a stream on A.
      const stream = await fetch(`${a.url}/v1/portals/9300001/stream`, { headers: auth });
      const reader = stream.body!.getReader();
      let streamed = '';
      const reading = (async () => {
        for (;;) {
          const { value, done } = await reader
            .read()
            .catch(() => ({ value: undefined, done: true }));
          if (done) return;
          streamed += Buffer.from(value!).toString('utf8');
        }
      })();
      await waitFor(() => streamed.includes('event: status'), 10_000, 'the initial status');
      const body = {
        title: 'Salesforce org API limit exceeded',
        occurredAt: new Date().toISOString(),
        eventId: 'after-outage',
      };
      const request = signed(signingSecret, body);
      const sent = await fetch(`${b.url}/v1/portals/9300001/suspensions`, {
        method: 'POST',
        headers: request.headers,
        body: request.payload,
      });
      expect(sent.status).toBe(202);
      await waitFor(
        () => streamed.includes('"reason":"API_LIMIT_EXCEEDED"'),
        10_000,
        'the change stored by B on the stream of A',
      );
      void reader.cancel();
      await reading;
      expect(a.process.exitCode).toBeNull();
    } finally {
      await Promise.all(children.splice(0).map((child) => child.kill('SIGKILL')));
      await hop.close().catch(() => undefined);
      await drop();
    }
  });
});
