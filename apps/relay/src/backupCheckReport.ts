import type { BackupCheck } from './backupCheck.js';
import { keySourceName, SEALED_COLUMNS } from './backupCheckKeys.js';
import { RELAY_VERSION } from './version.js';

/**
 * What `sync-doctor-relay backup --check` prints, and its exit code: 0 when this build can be
 * started on the copy and has everything back, 2 when it cannot (each problem on its own line).
 */
export function describeBackupCheck(check: BackupCheck): { text: string; exitCode: number } {
  const lines = [`backup: ${check.directory}`];
  const integrity =
    check.integrity === null
      ? 'not checked'
      : check.integrity === 'ok'
        ? 'integrity ok'
        : 'damaged';
  lines.push(`store: ${megabytes(check.storeBytes)}, ${integrity}`);
  if (check.schemaVersion !== null && check.schemaVersion > 0) lines.push(schemaLine(check));
  if (check.contents) {
    lines.push(keyLine(check));
    lines.push(contentsLine(check.contents));
  }
  for (const warning of check.warnings) lines.push(`warning: ${warning}`);
  for (const problem of check.problems) lines.push(`problem: ${problem}`);
  const restorable = check.problems.length === 0;
  const newest = check.contents?.newestChangeAt;
  lines.push(
    restorable
      ? `restorable by this build (${RELAY_VERSION}): stop the relay and start it on this directory ` +
          '(RELAY_DATA_DIR, or in place of its systemd state directory: docs/storage.md, Backups)' +
          (newest ? `; what the relay received after ${iso(newest)} is not in it` : '')
      : `NOT restorable by this build (${RELAY_VERSION})`,
  );
  return { text: lines.join('\n') + '\n', exitCode: restorable ? 0 : 2 };
}

/** `--json`: the same, for a scheduled restore test to alert on. */
export function backupCheckJson(check: BackupCheck): string {
  const at = (ms: number | null | undefined) => (ms ? iso(ms) : null);
  return (
    JSON.stringify({
      ...check,
      lastAppliedAt: at(check.lastAppliedAt),
      contents: check.contents && {
        ...check.contents,
        newestChangeAt: at(check.contents.newestChangeAt),
      },
      restorable: check.problems.length === 0,
      relayVersion: RELAY_VERSION,
    }) + '\n'
  );
}

function schemaLine(check: BackupCheck): string {
  const applied = check.lastAppliedAt
    ? ` (last migration applied ${iso(check.lastAppliedAt)})`
    : '';
  const head = `schema version ${check.schemaVersion}${applied}; this build knows up to ${check.buildSchemaVersion}`;
  if (check.schemaVersion! > check.buildSchemaVersion) return head;
  const n = check.pending.length;
  return n === 0
    ? `${head}: it starts on the copy as it is`
    : `${head}: starting on the copy applies ${n} migration${n === 1 ? '' : 's'} (${check.pending.map((m) => m.version).join(', ')})`;
}

function keyLine(check: BackupCheck): string {
  const { source, sealed, opened } = check.key;
  const total = Object.values(sealed).reduce((sum, n) => sum + n, 0);
  const kinds = SEALED_COLUMNS.filter((c) => sealed[c.id])
    .map((c) => count(sealed[c.id]!, c.kind, c.plural))
    .join(', ');
  const secrets =
    total === 0
      ? 'no sealed secret (no portal yet)'
      : `${count(total, 'sealed secret', 'sealed secrets')} (${kinds})`;
  if (!source) return `key: none, for ${secrets}`;
  const name = keySourceName(source);
  if (total === 0) return `key: ${name}, for ${secrets}`;
  const share =
    opened === total ? (total === 1 ? 'the' : 'all') : `${opened.toLocaleString('en-US')} of`;
  return `key: ${name} opens ${share} ${secrets}`;
}

function contentsLine(contents: NonNullable<BackupCheck['contents']>): string {
  const newest = contents.newestChangeAt
    ? `, the newest received ${iso(contents.newestChangeAt)}`
    : '';
  const undelivered =
    contents.changes === 0
      ? 'nothing to deliver'
      : contents.undelivered === 0
        ? 'every change delivered into Salesforce'
        : `${count(contents.undelivered, 'change', 'changes')} not delivered into Salesforce when the copy was taken`;
  return `holds ${count(contents.portals, 'portal', 'portals')} and ${count(contents.changes, 'change', 'changes')}${newest}; ${undelivered}`;
}

const count = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const iso = (ms: number) => new Date(ms).toISOString();
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
