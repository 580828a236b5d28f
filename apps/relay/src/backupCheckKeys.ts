import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { BackupCheck } from './backupCheck.js';
import { parseSecretKey } from './config.js';
import { decryptSecret } from './crypto/secrets.js';
import { ConfigError } from './envValues.js';
import { SECRET_KEY_FILE } from './store/sqlite.js';

// `backup --check`'s keys: every sealed value in the copy opened with the key a restore would use.

/** A kind of sealed value: its id in the JSON, its names in the text, and where it is kept. */
interface SealedColumn {
  id: string;
  kind: string;
  plural: string;
  table: string;
  column: string;
  /** The column that says whose it is. */
  portal: string;
}

const sealedIn = (
  id: string,
  [kind, plural]: [string, string],
  [table, column, portal]: [string, string, string],
): SealedColumn => ({ id, kind, plural, table, column, portal });

/** Every sealed value a store keeps: a restore's key must open each one. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  sealedIn(
    'signingSecret',
    ['signing secret', 'signing secrets'],
    ['portals', 'signing_secret', 'id'],
  ),
  sealedIn(
    'salesforceConnection',
    ['Salesforce connection', 'Salesforce connections'],
    ['portals', 'salesforce', 'id'],
  ),
  sealedIn(
    'hubspotToken',
    ['HubSpot token', 'HubSpot tokens'],
    ['portal_hubspot', 'token_sealed', 'portal_id'],
  ),
  sealedIn(
    'mailbox',
    ['mailbox', 'mailboxes'],
    ['portal_mailboxes', 'settings_sealed', 'portal_id'],
  ),
  sealedIn(
    'alertTarget',
    ['alert target', 'alert targets'],
    ['alert_targets', 'target_sealed', 'portal_id'],
  ),
];

export type KeySource = 'RELAY_SECRET_KEY' | 'secret.key';

/** How the check's lines name a key. */
export const keySourceName = (source: KeySource): string =>
  source === 'RELAY_SECRET_KEY' ? 'RELAY_SECRET_KEY' : `the backup's ${SECRET_KEY_FILE}`;

/** How many of the values a key did not open are named (the count is always whole). */
const NAMED_FAILURES = 10;

export interface KeyCandidate {
  source: KeySource;
  key: Buffer | null;
  /** Why the backup's secret.key is no key. */
  unusable?: string;
}

/**
 * The key a relay started on the copy would use, first: RELAY_SECRET_KEY when set (config.ts
 * reads it before any key file), else the backup's secret.key. The other, when both are there,
 * is tried too, so a wrong RELAY_SECRET_KEY can be told from a store that has lost its key.
 */
export function keyCandidates(
  directory: string,
  env: { RELAY_SECRET_KEY?: string | undefined },
): KeyCandidate[] {
  const candidates: KeyCandidate[] = [];
  if (env.RELAY_SECRET_KEY)
    candidates.push({ source: 'RELAY_SECRET_KEY', key: parseSecretKey(env.RELAY_SECRET_KEY) });
  const file = join(directory, SECRET_KEY_FILE);
  if (existsSync(file)) {
    try {
      candidates.push({
        source: 'secret.key',
        key: parseSecretKey(readFileSync(file, 'utf8'), file),
      });
    } catch (error) {
      const reason =
        error instanceof ConfigError
          ? error.message
          : `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      candidates.push({ source: 'secret.key', key: null, unusable: reason });
    }
  }
  return candidates;
}

export function openSealedValues(db: DatabaseSync, check: BackupCheck, keys: KeyCandidate[]): void {
  const [used, other] = keys;
  let total = 0;
  let otherOpened = 0;
  for (const { id, table, column, portal } of SEALED_COLUMNS) {
    if (!hasColumn(db, table, column)) continue;
    const rows = db
      .prepare(
        `SELECT ${portal} AS portal, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL ORDER BY ${portal}`,
      )
      .iterate() as Iterable<{ portal: string; sealed: string }>;
    for (const row of rows) {
      total += 1;
      check.key.sealed[id] = (check.key.sealed[id] ?? 0) + 1;
      if (opens(used?.key, row.sealed)) check.key.opened += 1;
      else if (check.key.notOpened.length < NAMED_FAILURES)
        check.key.notOpened.push({ kind: id, portalId: String(row.portal) });
      if (opens(other?.key, row.sealed)) otherOpened += 1;
    }
  }
  check.key.backupKeyOpensAll = other !== undefined && otherOpened === total;
  if (!used) {
    // config.ts refuses a store with neither, portals or not: a new key would open none of it.
    check.problems.push(
      `no key: the backup has no ${SECRET_KEY_FILE} and RELAY_SECRET_KEY is not set, and a relay ` +
        'refuses a store without the key it was written with; set RELAY_SECRET_KEY to the key kept ' +
        'with the backup and check again',
    );
    return;
  }
  if (used.unusable) {
    check.problems.push(used.unusable);
    return;
  }
  const missed = total - check.key.opened;
  if (missed === 0) return;
  const kindOf = (id: string) => SEALED_COLUMNS.find((c) => c.id === id)!.kind;
  const named = check.key.notOpened
    .map((v) => `portal ${v.portalId}'s ${kindOf(v.kind)}`)
    .join(', ');
  const more =
    missed > check.key.notOpened.length ? `, and ${missed - check.key.notOpened.length} more` : '';
  const keyName = keySourceName(used.source);
  const remedy = check.key.backupKeyOpensAll
    ? `; the backup's ${SECRET_KEY_FILE} opens them all: restore with RELAY_SECRET_KEY unset`
    : ': it is not the key they were sealed with, and without that key those secrets are lost';
  check.problems.push(
    `${keyName} does not open ${missed} of the ${total} sealed secrets (${named}${more})${remedy}`,
  );
}

function opens(key: Buffer | null | undefined, sealed: string): boolean {
  if (!key) return false;
  try {
    decryptSecret(key, sealed);
    return true;
  } catch {
    return false;
  }
}

function hasColumn(db: DatabaseSync, table: string, column: string): boolean {
  return (
    db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined
  );
}
