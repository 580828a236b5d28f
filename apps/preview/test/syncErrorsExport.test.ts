import { classifySyncErrorText, syncErrorKind, type SyncErrorKind } from '@sync-doctor/core';
import { FIXTURE_NAMES } from '@sync-doctor/org-simulator';
import { demoSuspensionReason } from '../src/demo/curlLine.js';
import {
  DEMO_SYNC_ERRORS_COLUMNS,
  demoSyncErrorGroups,
  demoSyncErrorsCsv,
} from '../src/demo/syncErrorsExport.js';

/** The demo CSV's cells, line by line (every cell is quoted; "" is a quote). */
function parse(csv: string): string[][] {
  expect(csv.endsWith('\r\n')).toBe(true);
  return csv
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const cells = [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) =>
        m[1]!.replaceAll('""', '"'),
      );
      expect(cells.map((value) => `"${value.replaceAll('"', '""')}"`).join(',')).toBe(line);
      return cells;
    });
}

/**
 * The kind of each group of a demo export, as the core reads it for the panel: with the reason the
 * relay gives the group (classifySyncErrorText of its error type and message).
 */
function kindsOf(csv: string): SyncErrorKind[] {
  const [, ...rows] = parse(csv);
  const kinds: SyncErrorKind[] = [];
  let last = '';
  for (const [errorType, , , message] of rows) {
    const key = `${errorType}\n${message}`;
    if (key === last) continue;
    last = key;
    const reason = classifySyncErrorText(key)?.reason ?? null;
    kinds.push(syncErrorKind({ reason, errorType: errorType!, example: message! }));
  }
  return kinds;
}

describe("the demo's Sync Health export", () => {
  test('has the headings the relay reads and one row per failed record, each with its own id', () => {
    const [heading, ...rows] = parse(demoSyncErrorsCsv('read-only-contacts'));
    expect(heading).toEqual([...DEMO_SYNC_ERRORS_COLUMNS]);
    expect(rows).toHaveLength(17);
    for (const row of rows) expect(row).toHaveLength(DEMO_SYNC_ERRORS_COLUMNS.length);
    const ids = rows.map((row) => row[4]);
    expect(new Set(ids).size).toBe(rows.length);
    for (const id of ids) expect(id).toMatch(/^\d+$/);
  });

  test('an integration user without Create/Edit on Contact: a record-access group on Contact, then the everyday errors', () => {
    const csv = demoSyncErrorsCsv('read-only-contacts');
    expect(kindsOf(csv)).toEqual([
      'record-access',
      'custom-code',
      'picklist',
      'duplicate',
      'owner',
    ]);
    const [story] = demoSyncErrorGroups('read-only-contacts');
    expect(story).toMatchObject({
      errorType: 'Insufficient access or missing Salesforce record',
      object: 'Contact',
    });
    expect(story!.message).toMatch(/^INSUFFICIENT_ACCESS_OR_READONLY: /);
  });

  test('a hidden mapped field: a field-permission group naming Contact.Email', () => {
    const csv = demoSyncErrorsCsv('hidden-mapped-field');
    expect(kindsOf(csv)).toEqual([
      'field-permission',
      'custom-code',
      'picklist',
      'duplicate',
      'owner',
    ]);
    const [story] = demoSyncErrorGroups('hidden-mapped-field');
    expect(story).toMatchObject({ object: 'Contact', field: 'Email' });
    expect(story!.message).toMatch(
      /^INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create\/update fields: Email\./,
    );
  });

  test('an org over its API or storage limit: a group of the suspension kind', () => {
    expect(kindsOf(demoSyncErrorsCsv('api-limit-near'))[0]).toBe('suspension');
    expect(kindsOf(demoSyncErrorsCsv('storage-full'))[0]).toBe('suspension');
  });

  test('a user Salesforce refuses altogether, or a frozen one, fails no record: only the everyday errors', () => {
    const everyday = ['custom-code', 'picklist', 'duplicate', 'owner'];
    expect(kindsOf(demoSyncErrorsCsv('inactive-user'))).toEqual(everyday);
    expect(kindsOf(demoSyncErrorsCsv('sync-stopped'))).toEqual(everyday);
    expect(kindsOf(demoSyncErrorsCsv('read-only-contacts', ['frozen-integration-user']))).toEqual(
      everyday,
    );
  });

  test('every demo org has an export, whose story group agrees with its suspension', () => {
    for (const fixture of FIXTURE_NAMES) {
      const groups = demoSyncErrorGroups(fixture);
      expect(groups.length).toBeGreaterThanOrEqual(3);
      const reason = demoSuspensionReason(fixture);
      if (reason === 'OBJECT_PERMISSIONS_MISSING') expect(groups).toHaveLength(5);
    }
  });
});
