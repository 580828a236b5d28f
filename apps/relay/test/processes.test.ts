import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { STATUS_EVENT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { ADMIN_TOKEN, POSTGRES_URL, postgresSchema, signed, tempDir, waitFor } from './helpers.js';
import { runRelayBin, startChildRelay, type ChildRelay } from './childRelay.js';
import { jwtApp, jwtConnection } from './orgDelivery.js';

// Real processes: the built relay binary, killed without warning, restarted; and two instances
// sharing one PostgreSQL database. Delivery goes into the org simulator over JWT bearer.
describe('relay processes', () => {
  const jwt = jwtApp('3MVG9durability.consumer.key');
  let sim: OrgSimulator;
  const children: ChildRelay[] = [];
  const dirs: { remove(): void }[] = [];

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'read-only-contacts',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.kill('SIGKILL')));
    for (const dir of dirs.splice(0)) dir.remove();
  });
  afterAll(() => sim.close());
  /** A data directory removed after the test, whether it passed or not. */
  const dataDir = (): string => {
    const dir = tempDir();
    dirs.push(dir);
    return dir.path;
  };

  const start = async (env: Record<string, string>) => {
    const child = await startChildRelay({
      RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
      RELAY_OUTBOX_POLL_MS: '50',
      RELAY_OUTBOX_LEASE_MS: '2000',
      RELAY_RETRY_BASE_MS: '50',
      RELAY_RETRY_MAX_MS: '500',
      ...env,
    });
    children.push(child);
    return child;
  };

  async function createPortal(base: string, id: string): Promise<string> {
    const response = await fetch(`${base}/v1/admin/portals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        salesforce: jwtConnection(jwt, sim),
      }),
    });
    if (response.status !== 201)
      throw new Error(`create portal ${response.status} ${await response.text()}`);
    return ((await response.json()) as { signingSecret: string }).signingSecret;
  }

  async function sendEvent(
    base: string,
    portalId: string,
    secret: string,
    title: string,
  ): Promise<number> {
    const { payload, headers } = signed(secret, {
      reason: 'ORG_LOCKED',
      title,
      occurredAt: new Date().toISOString(),
      eventId: title,
    });
    const response = await fetch(`${base}/v1/portals/${portalId}/suspensions`, {
      method: 'POST',
      headers,
      body: payload,
      signal: AbortSignal.timeout(10_000),
    });
    return response.status;
  }

  const published = (portalId: string) =>
    sim.publishedEvents
      .filter(
        (e) =>
          e.sobjectType === STATUS_EVENT.name &&
          e.payload[STATUS_EVENT.fields.portalId] === portalId,
      )
      .map((e) => String(e.payload[STATUS_EVENT.fields.title]));

  test('SIGKILL mid-stream, restart: every acknowledged event is stored and delivered exactly once, in order', async () => {
    const dir = dataDir();
    const portalId = '9100001';
    let relay = await start({ RELAY_DATA_DIR: dir });
    const secret = await createPortal(relay.url, portalId);
    const acknowledged: string[] = [];
    const attempted: string[] = [];
    // Four senders at once, so requests are in flight (and deliveries too) when the kill lands.
    let next = 0;
    const killAfter = 40;
    const sender = async () => {
      while (next < 200) {
        const title = `kill-${String(next++).padStart(3, '0')}`;
        attempted.push(title);
        try {
          if ((await sendEvent(relay.url, portalId, secret, title)) === 202)
            acknowledged.push(title);
        } catch {
          return; // the relay died under this request: not acknowledged
        }
        if (acknowledged.length === killAfter) await relay.kill('SIGKILL');
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
    expect(acknowledged.length).toBeLessThan(attempted.length + 1);

    relay = await start({ RELAY_DATA_DIR: dir });
    // The restarted relay keeps the portal and its secret, and takes new events.
    for (let n = 0; n < 5; n++) {
      const title = `after-${n}`;
      expect(await sendEvent(relay.url, portalId, secret, title)).toBe(202);
      acknowledged.push(title);
    }
    const state = await fetch(`${relay.url}/v1/portals/${portalId}/history?limit=200`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const storedTitles = ((await state.json()) as { items: { title: string }[] }).items.map(
      (c) => c.title,
    );
    for (const title of acknowledged) expect(storedTitles).toContain(title);

    await waitFor(
      () => acknowledged.every((title) => published(portalId).includes(title)),
      45_000,
      'every acknowledged event in Salesforce',
    );
    const titles = published(portalId);
    // Exactly once: no title twice, acknowledged or not (a stored but unacknowledged one may also arrive).
    expect(new Set(titles).size).toBe(titles.length);
    // In order: the order Salesforce received them is the order the relay stored them.
    expect(titles).toEqual([...storedTitles].reverse().filter((title) => titles.includes(title)));
  });

  test('two relay processes on one PostgreSQL database never deliver a change twice', async () => {
    const { schema, drop } = await postgresSchema();
    const env = {
      DATABASE_URL: POSTGRES_URL,
      DATABASE_SCHEMA: schema,
      RELAY_SECRET_KEY: randomBytes(32).toString('base64'),
      // Mutual exclusion is what this test checks, not a lease's timing: no process dies here,
      // so no lease needs to run out. With the 2 s floor, a process starved of CPU for over a
      // second between its renewal and its send (seen at load ~10 on 2 cores) lets the other
      // take the change over, as any lease-based exclusion would; production's default is 30 s.
      RELAY_OUTBOX_LEASE_MS: '10000',
    };
    try {
      const [a, b] = await Promise.all([
        start({ ...env, RELAY_INSTANCE_ID: 'relay-a' }),
        start({ ...env, RELAY_INSTANCE_ID: 'relay-b' }),
      ]);
      const portals = ['9200001', '9200002', '9200003'];
      const secrets: Record<string, string> = {};
      for (const id of portals) secrets[id] = await createPortal(a!.url, id);
      // A live stream on instance B ...
      const stream = await fetch(`${b!.url}/v1/portals/${portals[0]}/stream`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const reader = stream.body!.getReader();
      let streamed = '';
      const streaming = (async () => {
        for (;;) {
          const { value, done } = await reader
            .read()
            .catch(() => ({ value: undefined, done: true }));
          if (done) return;
          streamed += Buffer.from(value!).toString('utf8');
        }
      })();
      // Alternate instances, as a load balancer would.
      const sent: Record<string, string[]> = Object.fromEntries(portals.map((id) => [id, []]));
      for (let n = 0; n < 15; n++) {
        await Promise.all(
          portals.map(async (id, i) => {
            const title = `pg-${id}-${String(n).padStart(2, '0')}`;
            expect(
              await sendEvent((n + i) % 2 === 0 ? a!.url : b!.url, id, secrets[id]!, title),
            ).toBe(202);
            sent[id]!.push(title);
          }),
        );
      }
      await waitFor(
        () => portals.every((id) => published(id).length >= 15),
        45_000,
        'all deliveries',
      );
      // ... saw every change of its portal, those sent to A included (LISTEN/NOTIFY).
      await waitFor(
        () => sent[portals[0]!]!.every((title) => streamed.includes(`"title":"${title}"`)),
        10_000,
        'changes on the stream of the other instance',
      );
      void reader.cancel();
      void streaming;
      await new Promise((resolve) => setTimeout(resolve, 500)); // room for a duplicate to show up
      for (const id of portals) expect(published(id)).toEqual(sent[id]);
      // Both instances took part.
      const deliveries = await fetch(`${a!.url}/metrics`).then((r) => r.text());
      const other = await fetch(`${b!.url}/metrics`).then((r) => r.text());
      // "reconciled": an attempt timed out under load but had landed; the retry saw it and did not resend.
      const delivered = (text: string) =>
        Number(/relay_deliveries_total\{outcome="delivered"\} (\d+)/.exec(text)?.[1] ?? 0) +
        Number(/relay_deliveries_total\{outcome="reconciled"\} (\d+)/.exec(text)?.[1] ?? 0);
      expect(delivered(deliveries) + delivered(other)).toBe(45);
      // Each spools uploads in a private directory under its own TMPDIR, not the machine's /tmp, and
      // what a SIGKILL leaves of it goes with that TMPDIR.
      const spools = [a!, b!].map((relay) =>
        readdirSync(relay.tmpDir).filter((name) => name.startsWith('sync-doctor-spool-')),
      );
      expect(spools.map((names) => names.length)).toEqual([1, 1]);
      await Promise.all([a!.kill('SIGKILL'), b!.kill('SIGKILL')]);
      expect([existsSync(a!.tmpDir), existsSync(b!.tmpDir)]).toEqual([false, false]);
    } finally {
      await Promise.all(children.splice(0).map((child) => child.kill('SIGKILL')));
      await drop();
    }
  });

  test('the binary: --help, a bad argument, a configuration error, and SIGTERM drains and exits 0', async () => {
    const help = runRelayBin({}, { args: ['--help'] });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('DATABASE_URL');
    const bad = runRelayBin({}, { args: ['--port=1'] });
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('unknown argument')]);
    const noKey = runRelayBin({ DATABASE_URL: POSTGRES_URL });
    expect([noKey.status, noKey.stderr]).toEqual([
      2,
      expect.stringContaining('RELAY_SECRET_KEY is required'),
    ]);

    const relay = await start({ RELAY_DATA_DIR: dataDir() });
    const exited = new Promise<number | null>((resolve) =>
      relay.process.once('exit', (code) => resolve(code)),
    );
    relay.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(relay.output.join('\n')).toMatch(/"signal":"SIGTERM".*closing/);
  });
});
