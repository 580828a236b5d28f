import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NODE_BIN,
  RELAY_BIN,
  assertBuilt,
  childEnv,
  relayTmpDir,
  runRelayBin,
  startChildRelay,
  type ChildRelay,
} from './childRelay.js';
import { ADMIN_TOKEN, signed, tempDir } from './helpers.js';

// `sync-doctor-relay backup DIR` against a running relay under load: the copy holds every signal
// the relay acknowledged before the backup began, and a relay started on it alone (the original
// directory gone) serves them and still verifies the portal's signatures, which needs the
// generated secret.key that a copy of the database file alone would lose.
// Run without blocking this process, so the load below keeps the relay busy during the backup.
// Its TMPDIR is its own, removed after it.
const backup = (
  dataDir: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((done) => {
    const tmp = relayTmpDir();
    const child = spawn(NODE_BIN, [RELAY_BIN, 'backup', ...args], {
      env: { ...childEnv(tmp.path), RELAY_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (status) => {
      tmp.remove();
      done({ status, stdout, stderr });
    });
  });

describe('sync-doctor-relay backup', () => {
  const children: ChildRelay[] = [];
  const dirs: { remove(): void }[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.kill('SIGKILL')));
    for (const dir of dirs.splice(0)) dir.remove();
  });
  const start = async (dataDir: string) => {
    const child = await startChildRelay({
      RELAY_ADMIN_TOKEN: ADMIN_TOKEN,
      RELAY_DATA_DIR: dataDir,
    });
    children.push(child);
    return child;
  };
  const temp = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir.path;
  };

  test('copies a running relay consistently, key included; a relay on the copy alone carries on', async () => {
    assertBuilt();
    const original = temp();
    const relay = await start(original);
    const created = await fetch(`${relay.url}/v1/admin/portals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: '5150', name: 'Backed up' }),
    });
    expect(created.status).toBe(201);
    const { signingSecret } = (await created.json()) as { signingSecret: string };
    const send = async (n: number) => {
      const { payload, headers } = signed(signingSecret, {
        reason: n % 2 ? 'ORG_LOCKED' : 'API_LIMIT_EXCEEDED',
        title: `event ${n}`,
        occurredAt: new Date(Date.UTC(2026, 10, 30, 4, 0, n)).toISOString(),
        eventId: `evt-${n}`,
      });
      const response = await fetch(`${relay.url}/v1/portals/5150/suspensions`, {
        method: 'POST',
        headers,
        body: payload,
      });
      return response.status;
    };
    let acknowledged = 0;
    for (let n = 1; n <= 40; n++) if ((await send(n)) < 300) acknowledged++;
    expect(acknowledged).toBe(40);

    // The backup runs while signals keep arriving.
    let sending = true;
    let duringBackup = 0;
    const load = (async () => {
      for (let n = 41; sending; n++) if ((await send(n)) < 300) duringBackup++;
    })();
    const destination = join(temp(), 'copy');
    const run = await backup(original, destination);
    sending = false;
    await load;
    expect(duringBackup).toBeGreaterThan(0);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^backed up .* into .*copy: [\d.]+ MB, with its secret\.key, in [\d.]+ s\n$/,
    );
    expect(readdirSync(destination).sort()).toEqual(['relay.sqlite', 'secret.key']);
    expect(statSync(join(destination, 'secret.key')).mode & 0o777).toBe(0o600);

    await relay.kill('SIGKILL');
    const restored = await start(destination);
    const history = await fetch(`${restored.url}/v1/portals/5150/history?limit=200`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const changes = ((await history.json()) as { items: { title: string | null }[] }).items;
    const titles = new Set(changes.map((change) => change.title));
    for (let n = 1; n <= 40; n++) expect(titles.has(`event ${n}`)).toBe(true);
    // The signing secret decrypts with the copied key: the restored relay accepts the portal's webhooks.
    const { payload, headers } = signed(signingSecret, {
      reason: 'ORG_LOCKED',
      title: 'after the restore',
      occurredAt: new Date().toISOString(),
      eventId: 'evt-restored',
    });
    const after = await fetch(`${restored.url}/v1/portals/5150/suspensions`, {
      method: 'POST',
      headers,
      body: payload,
    });
    expect(after.status).toBeLessThan(300);
  });

  test('the copy is private under umask 022, in a directory made beforehand with mode 0755 too', () => {
    assertBuilt();
    const dataDir = temp();
    writeFileSync(join(dataDir, 'relay.sqlite'), '');
    writeFileSync(join(dataDir, 'secret.key'), 'k'.repeat(64), { mode: 0o600 });
    const made = join(temp(), 'backup');
    mkdirSync(made);
    chmodSync(made, 0o755);
    const fresh = join(temp(), 'fresh');
    const tmp = relayTmpDir();
    dirs.push(tmp);
    const run = (destination: string) =>
      spawnSync(
        'sh',
        ['-c', 'umask 022 && exec "$@"', 'sh', NODE_BIN, RELAY_BIN, 'backup', destination],
        {
          encoding: 'utf8',
          env: { ...childEnv(tmp.path), RELAY_DATA_DIR: dataDir },
        },
      );
    const mode = (path: string) => statSync(path).mode & 0o777;

    const intoMade = run(made);
    expect(intoMade.status).toBe(0);
    // The store's history, hashed tokens and sealed secrets are not every local user's to read.
    expect(mode(join(made, 'relay.sqlite'))).toBe(0o600);
    expect(mode(join(made, 'secret.key'))).toBe(0o600);
    expect(mode(made)).toBe(0o700);
    expect(intoMade.stdout).toContain(`made ${made} private: mode 0700 instead of 0755`);

    const intoFresh = run(fresh);
    expect(intoFresh.status).toBe(0);
    expect(mode(join(fresh, 'relay.sqlite'))).toBe(0o600);
    expect(mode(fresh)).toBe(0o700);
    expect(intoFresh.stdout).not.toContain('private');
  });

  test('refuses, with a one-line reason and exit 2, what it cannot do as asked', async () => {
    assertBuilt();
    const empty = temp();
    expect(await backup(empty, join(temp(), 'x'))).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('no relay store in'),
    });
    const dataDir = temp();
    writeFileSync(join(dataDir, 'relay.sqlite'), '');
    const used = temp();
    mkdirSync(join(used, 'old'));
    expect(await backup(dataDir, used)).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('is not empty'),
    });
    expect(await backup(dataDir)).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('usage'),
    });
    const postgres = runRelayBin(
      { DATABASE_URL: 'postgres://relay:hunter2@db/relay' },
      { args: ['backup', join(temp(), 'y')] },
    );
    expect(postgres.status).toBe(2);
    expect(postgres.stderr).toContain('pg_dump');
    expect(postgres.stderr).not.toContain('hunter2');
    expect(existsSync(join(temp(), 'y'))).toBe(false);
  });

  test('a key it cannot copy fails the backup, and leaves no store in the copy to look whole', async () => {
    assertBuilt();
    const dataDir = temp();
    writeFileSync(join(dataDir, 'relay.sqlite'), '');
    // Unreadable as a file (a directory), as a key lost to a full disk or a wrong owner would be.
    mkdirSync(join(dataDir, 'secret.key'));
    const destination = join(temp(), 'copy');
    const result = await backup(dataDir, destination);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('secret.key could not be copied'),
    ]);
    expect(existsSync(join(destination, 'relay.sqlite'))).toBe(false);
  });
});
