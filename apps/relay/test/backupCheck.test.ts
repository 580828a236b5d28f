import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { backupDataDir } from '../src/backup.js';
import { SEALED_COLUMNS } from '../src/backupCheckKeys.js';
import { encryptSecret } from '../src/crypto/secrets.js';
import { alertStoreOf } from '../src/store/alertStore.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { createStore } from '../src/store/index.js';
import { MIGRATIONS, migrate } from '../src/store/migrations.js';
import { SqlRelayStore } from '../src/store/sqlStore.js';
import { openSqlite } from '../src/store/sqlite.js';
import { assertBuilt, runRelayBin } from './childRelay.js';
import { suspension, tempDir } from './helpers.js';

// `sync-doctor-relay backup --check DIR`: the parts of a restore that can fail, run on a copy
// without starting a relay. Each copy here is made by `backupDataDir` from a store written through
// the store's own API, its secrets sealed as the admin API seals them.
const KEY = randomBytes(32);
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;
const b64 = (key: Buffer) => key.toString('base64');

const dirs: { remove(): void }[] = [];
const temp = () => {
  const dir = tempDir();
  dirs.push(dir);
  return dir.path;
};
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));
beforeAll(assertBuilt);

/**
 * A data directory with portals 5150 and 5151, each with a signing secret and a Salesforce
 * connection, 5150 with a HubSpot token, a mailbox and an alert target as well (8 sealed values),
 * and two suspensions of 5150, copied by `backup`. `keyOf` seals a portal's values with another key.
 */
async function backupOf(keyOf: (portalId: string) => Buffer = () => KEY): Promise<string> {
  const data = temp();
  writeFileSync(join(data, 'secret.key'), `${b64(KEY)}\n`, { mode: 0o600 });
  const store = await createStore({ dataDir: data });
  for (const id of ['5150', '5151'])
    await store.createPortal({
      id,
      name: `Portal ${id}`,
      signingSecretSealed: encryptSecret(keyOf(id), `sdwh_${id}`),
      inboundTokenHash: `hash-${id}`,
      salesforceSealed: encryptSecret(keyOf(id), JSON.stringify({ kind: 'token' })),
    });
  const hubspot = hubspotStoreOf(store);
  await hubspot.setHubSpotToken('5150', encryptSecret(keyOf('5150'), 'pat-na1-secret'));
  await hubspot.setMailbox('5150', encryptSecret(keyOf('5150'), JSON.stringify({ host: 'imap' })));
  await alertStoreOf(store).createAlertTarget({
    id: 'target-1',
    portalId: '5150',
    kind: 'webhook',
    targetSealed: encryptSecret(keyOf('5150'), JSON.stringify({ url: 'https://hooks.test/x' })),
    summary: { url: 'https://hooks.test/…' },
  });
  await store.recordSignal(suspension('5150', 1), new Date('2026-11-30T04:00:00Z'));
  await store.recordSignal(suspension('5150', 2), new Date('2026-11-30T04:05:00Z'));
  await store.close();
  const copy = join(temp(), 'copy');
  backupDataDir(data, copy);
  return copy;
}

const check = (dir: string, env: Record<string, string> = {}, ...flags: string[]) =>
  runRelayBin(env, { args: ['backup', '--check', dir, ...flags] });

describe('sync-doctor-relay backup --check', () => {
  it('says a whole copy is restorable, what it holds, and leaves it as it was', async () => {
    const copy = await backupOf();
    const before = readdirSync(copy).map((name) => [name, statSync(join(copy, name)).mtimeMs]);

    const run = check(copy);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`backup: ${copy}`);
    expect(lines[1]).toMatch(/^store: \d+\.\d MB, integrity ok$/);
    expect(lines[2]).toMatch(
      new RegExp(
        `^schema version ${LATEST} \\(last migration applied 20.*Z\\); this build knows up to ${LATEST}: it starts on the copy as it is$`,
      ),
    );
    expect(lines[3]).toBe(
      "key: the backup's secret.key opens all 7 sealed secrets (2 signing secrets, " +
        '2 Salesforce connections, 1 HubSpot token, 1 mailbox, 1 alert target)',
    );
    expect(lines[4]).toBe(
      'holds 2 portals and 2 changes, the newest received 2026-11-30T04:05:00.000Z; 2 changes ' +
        'not delivered into Salesforce when the copy was taken',
    );
    expect(lines[5]).toMatch(/^restorable by this build \(\d+\.\d+\.\d+\): stop the relay/);
    expect(lines[5]).toContain(
      'what the relay received after 2026-11-30T04:05:00.000Z is not in it',
    );
    expect(lines).toHaveLength(6);
    expect(run.stdout).not.toContain(b64(KEY));

    const json = JSON.parse(check(copy, {}, '--json').stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      directory: copy,
      integrity: 'ok',
      schemaVersion: LATEST,
      pending: [],
      key: {
        source: 'secret.key',
        sealed: {
          signingSecret: 2,
          salesforceConnection: 2,
          hubspotToken: 1,
          mailbox: 1,
          alertTarget: 1,
        },
        opened: 7,
        notOpened: [],
      },
      contents: {
        portals: 2,
        changes: 2,
        newestChangeAt: '2026-11-30T04:05:00.000Z',
        undelivered: 2,
      },
      private: true,
      problems: [],
      restorable: true,
    });
    // Read as immutable: no -wal or -shm made beside it (they would be the checker's, root's say),
    // and nothing in it written.
    expect(readdirSync(copy).map((name) => [name, statSync(join(copy, name)).mtimeMs])).toEqual(
      before,
    );
  });

  it('finds the secrets a key does not open, value by value, and names whose they are', async () => {
    // Portal 5151 sealed with another key (instances that once ran with different keys): the
    // relay's start opens only one secret, so a restore would start and lose 5151's quietly.
    const other = randomBytes(32);
    const copy = await backupOf((id) => (id === '5151' ? other : KEY));
    const run = check(copy);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("key: the backup's secret.key opens 5 of 7 sealed secrets");
    expect(run.stdout).toContain(
      "problem: the backup's secret.key does not open 2 of the 7 sealed secrets (portal 5151's " +
        "signing secret, portal 5151's Salesforce connection): it is not the key they were " +
        'sealed with, and without that key those secrets are lost',
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^NOT restorable by this build/);
    const json = JSON.parse(check(copy, {}, '--json').stdout) as {
      key: unknown;
      restorable: boolean;
    };
    expect(json.restorable).toBe(false);
    expect(json.key).toMatchObject({
      opened: 5,
      notOpened: [
        { kind: 'signingSecret', portalId: '5151' },
        { kind: 'salesforceConnection', portalId: '5151' },
      ],
    });
    // Neither key opens them all: no advice to restore with the other one.
    const neither = check(copy, { RELAY_SECRET_KEY: b64(other) });
    expect(neither.status).toBe(2);
    expect(neither.stdout).toContain('RELAY_SECRET_KEY does not open 5 of the 7 sealed secrets');
    expect(neither.stdout).toContain('it is not the key they were sealed with');
    expect(neither.stdout).not.toContain('opens them all');
  });

  it('uses RELAY_SECRET_KEY as a restore would, and tells a wrong one from a lost key', async () => {
    const copy = await backupOf();
    // The environment's key comes first, as in config.ts: a wrong one fails the check even with
    // the right secret.key beside it, and the check says that one would do.
    const wrong = check(copy, { RELAY_SECRET_KEY: b64(randomBytes(32)) });
    expect(wrong.status).toBe(2);
    expect(wrong.stdout).toContain('key: RELAY_SECRET_KEY opens 0 of 7 sealed secrets');
    expect(wrong.stdout).toContain(
      "RELAY_SECRET_KEY does not open 7 of the 7 sealed secrets (portal 5150's signing secret,",
    );
    expect(wrong.stdout).toContain(
      "the backup's secret.key opens them all: restore with RELAY_SECRET_KEY unset",
    );

    // A copy of a relay that ran with RELAY_SECRET_KEY has no key file.
    rmSync(join(copy, 'secret.key'));
    const none = check(copy);
    expect(none.status).toBe(2);
    expect(none.stdout).toContain('key: none, for 7 sealed secrets');
    expect(none.stdout).toContain(
      'problem: no key: the backup has no secret.key and RELAY_SECRET_KEY is not set',
    );
    const right = check(copy, { RELAY_SECRET_KEY: KEY.toString('hex') });
    expect(right.status).toBe(0);
    expect(right.stdout).toContain('key: RELAY_SECRET_KEY opens all 7 sealed secrets');

    const malformed = check(copy, { RELAY_SECRET_KEY: 'correct horse battery staple' });
    expect(malformed.status).toBe(2);
    expect(malformed.stdout).toBe('');
    expect(malformed.stderr).toMatch(/^backup: configuration error: RELAY_SECRET_KEY must be 32/);
    expect(malformed.stderr).not.toContain('horse');

    writeFileSync(join(copy, 'secret.key'), 'not a key\n');
    const badFile = check(copy);
    expect(badFile.status).toBe(2);
    expect(badFile.stdout).toContain(
      `problem: ${join(copy, 'secret.key')} must be 32 random bytes`,
    );
  });

  it('refuses a damaged copy', async () => {
    const copy = await backupOf();
    const file = join(copy, 'relay.sqlite');
    // Garbage over the pages after the schema's: the tables' and indexes' own pages.
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(16 * 4096), 0, 16 * 4096, 8 * 4096);
    closeSync(fd);
    const run = check(copy);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^store: \d+\.\d MB, damaged$/m);
    expect(run.stdout).toMatch(/^problem: the copy is damaged \(SQLite's integrity check: .+\)$/m);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^NOT restorable/);

    writeFileSync(
      file,
      'not a database, though long enough to look like one at first '.repeat(100),
    );
    const text = check(copy);
    expect(text.status).toBe(2);
    expect(text.stdout).toContain(
      "problem: the copy is damaged (SQLite's integrity check: file is not a database)",
    );
  });

  it('refuses a copy a newer relay wrote, and lists what it applies to an older one', async () => {
    const newer = await backupOf();
    const db = openSqlite(newer);
    await db.execute(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
      [LATEST + 1, 'from a newer relay', Date.now()],
    );
    await db.close();
    const run = check(newer);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(
      `problem: a newer relay wrote it (schema ${LATEST + 1}; this build knows up to ${LATEST}): ` +
        'this build refuses to start on it',
    );

    // A copy from a relay of schema 3, before HubSpot tokens, mailboxes and alert targets had
    // tables: the sealed values it has are checked, the tables it lacks are not looked for.
    const data = temp();
    writeFileSync(join(data, 'secret.key'), `${b64(KEY)}\n`, { mode: 0o600 });
    const old = openSqlite(data);
    await migrate(
      old,
      undefined,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    await new SqlRelayStore(old).createPortal({
      id: '77',
      name: null,
      signingSecretSealed: encryptSecret(KEY, 'sdwh_77'),
      inboundTokenHash: 'h-77',
      salesforceSealed: null,
    });
    await old.close();
    const copy = join(temp(), 'copy');
    backupDataDir(data, copy);
    const older = check(copy);
    expect(older.stderr).toBe('');
    expect(older.status).toBe(0);
    const pending = MIGRATIONS.filter((m) => m.version > 3).map((m) => m.version);
    expect(older.stdout).toContain(`schema version 3 (last migration applied 20`);
    expect(older.stdout).toContain(
      `: starting on the copy applies ${pending.length} migrations (${pending.join(', ')})`,
    );
    expect(older.stdout).toContain(
      "key: the backup's secret.key opens the 1 sealed secret (1 signing secret)",
    );
    expect(older.stdout).toContain('holds 1 portal and 0 changes; nothing to deliver');
  });

  it('warns of a copy others can read, and says what is not a backup', async () => {
    const copy = await backupOf();
    chmodSync(copy, 0o755);
    const open = check(copy);
    expect(open.status).toBe(0);
    expect(open.stdout).toContain(`warning: ${copy} is readable by other users`);

    // Another user's private copy: run as nobody when root (who reads anything), else shut it.
    const root = process.getuid?.() === 0;
    if (!root) chmodSync(copy, 0o000);
    const denied = runRelayBin(
      {},
      { args: ['backup', '--check', copy], ...(root ? { uid: 65534, gid: 65534 } : {}) },
    );
    chmodSync(copy, 0o700);
    expect(denied.status).toBe(2);
    expect(denied.stderr).toBe(
      `backup: ${copy} cannot be read (EACCES): run the check as the backup's owner\n`,
    );

    const file = join(copy, 'relay.sqlite');
    renameSync(file, `${file}.partial`);
    const partial = check(copy);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toBe(
      `backup: ${copy} holds only relay.sqlite.partial: a backup that did not finish, not a copy to restore\n`,
    );
    const empty = temp();
    expect(check(empty).stderr).toBe(`backup: no relay backup in ${empty} (no relay.sqlite)\n`);
    expect(check(join(empty, 'gone')).stderr).toBe(
      `backup: ${join(empty, 'gone')} does not exist\n`,
    );
    const usage = runRelayBin({}, { args: ['backup', '--check'] });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('backup: usage: sync-doctor-relay backup --check DIR [--json]\n');
    expect(runRelayBin({}, { args: ['backup'] }).stderr).toBe(
      'backup: usage: sync-doctor-relay backup DIR (a new or empty directory), or backup --check DIR [--json]\n',
    );
  });

  it('knows every sealed column a migrated store has', async () => {
    // A migration that adds a sealed column must add it to SEALED_COLUMNS, or a backup whose key
    // cannot open it would pass the check.
    const data = temp();
    const db = openSqlite(data);
    await migrate(db);
    const columns = await db.query<{ place: string }>(
      `SELECT m.name || '.' || c.name AS place FROM sqlite_master m, pragma_table_info(m.name) c
        WHERE m.type = 'table' AND (c.name LIKE '%sealed%' OR c.name IN ('signing_secret', 'salesforce'))
        ORDER BY place`,
    );
    await db.close();
    expect(columns.map((c) => c.place)).toEqual(
      SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort(),
    );
  });
});
