/**
 * The human output at narrow and wide terminals: `sync-doctor check --demo` in-process with a
 * stdout of 60 and of 120 columns. No line may pass the edge; --json and --report do not change.
 */
import { main } from '../src/main.js';
import { outputWidth } from '../src/io.js';
import { renderTable, truncateText } from '../src/render/table.js';
import { visibleLength } from '../src/render/style.js';
import { memoryIo } from './support.js';

async function check(columns: number | undefined, ...args: string[]): Promise<string> {
  const { io, stdout } = memoryIo({ columns, env: { NO_COLOR: '1' } });
  if (columns === undefined) delete (io.stdout as { columns?: number }).columns;
  const code = await main(['check', '--demo', 'read-only-contacts', ...args], io);
  expect(code).toBe(1);
  return stdout();
}

const tooWide = (text: string, width: number) =>
  text.split('\n').filter((line) => visibleLength(line) > width);

describe('the width the output is laid out for', () => {
  it("is stdout's columns, 80 when stdout is no terminal, and between 40 and 140", () => {
    expect(outputWidth({ write: () => true, isTTY: true, columns: 60 })).toBe(60);
    expect(outputWidth({ write: () => true, isTTY: true, columns: 120 })).toBe(120);
    expect(outputWidth({ write: () => true })).toBe(80);
    expect(outputWidth({ write: () => true, isTTY: true, columns: 0 })).toBe(80);
    expect(outputWidth({ write: () => true, isTTY: true, columns: 20 })).toBe(40);
    expect(outputWidth({ write: () => true, isTTY: true, columns: 400 })).toBe(140);
  });
});

describe('check at 60 columns', () => {
  let text: string;
  beforeAll(async () => {
    text = await check(60);
  });

  it('passes no line beyond the 60th column', () => {
    expect(tooWide(text, 60)).toEqual([]);
  });

  it('keeps the rights matrix on one line per object and folds a row\'s own "Granted by" under it', () => {
    const lines = text.split('\n');
    const contact = lines.findIndex((l) => l.trim().startsWith('Contact '));
    expect(lines[contact]).toMatch(/^ {2}Contact\s+✓\s+✗\s+✗\s+missing create, edit$/);
    const task = lines.findIndex((l) => l.trim().startsWith('Task '));
    expect(lines[task + 1]).toMatch(/^ {6}Granted by: Every user \(activities on records it can$/);
    expect(text).toMatch(/^ {2}Object\s+Read\s+Create\s+Edit\s+Status$/m);
  });

  it('folds the HubSpot property of a failing field under its row, the note shared by many given once under the table', () => {
    const lines = text.split('\n');
    const email = lines.findIndex((l) => l.trim().startsWith('Contact.Email '));
    expect(lines[email]).toMatch(/^ {2}Contact\.Email \[1\]\s+read, edit\s+✓\s+✗$/);
    expect(lines[email + 1]).toBe('      HubSpot property: email');
    expect(text.match(/Blocked by the object access on Contact\./g)).toHaveLength(2);
    expect(text).toMatch(/^ {2}\[1\] Blocked by the object access on Contact\.$/m);
  });

  it('wraps the header, the findings and the footer instead of running past the edge', () => {
    expect(text).toContain('in Acme Corporation, EU42');
    expect(text).toContain('OBJECT_PERMISSIONS_MISSING');
    // The collection's requests, in one round: limits, the snapshot, one composite of Login History,
    // HubSpot's connected app and the frozen flag, and the relayed status of every portal.
    expect(text).toMatch(/4 API requests to read the org\norg API usage/);
  });
});

describe('check at 80 columns', () => {
  it('says once the sources most objects share, and under a row only the sources of its own', async () => {
    const text = await check(80);
    expect(tooWide(text, 80)).toEqual([]);
    const objects = text.slice(text.indexOf('Objects\n'), text.indexOf('\n\nFields that fail'));
    expect(objects.split('\n')).toEqual([
      'Objects',
      '  Object       Read  Create  Edit  Status',
      '  Lead         ✓     ✓       ✓     ok',
      '  Contact      ✓     ✗       ✗     missing create, edit',
      '  Account*     ✓     ✓       ✓     ok',
      '  Opportunity  ✓     ✓       ✓     ok',
      '  Campaign     ✓     ·       ✓     ok',
      '  Task         ✓     ✓       ✓     ok',
      '      Granted by: Every user (activities on records it can see); Profile:',
      '      HubSpot Integration User',
      '  User*        ✓     ·       ·     ok',
      '      Granted by: Every user (user visibility); Permission set: HubSpot',
      '      Integration Permissions',
      '  Granted by, unless a row says otherwise: Profile: HubSpot Integration User;',
      '    Permission set: HubSpot Integration Permissions',
      '  * also reached through a lookup of a mapped field, so HubSpot needs at least',
      '    Read on it',
      '  · not granted, and HubSpot does not need it',
    ]);
  });
});

describe('check at 120 columns', () => {
  let text: string;
  beforeAll(async () => {
    text = await check(120);
  });

  it('passes no line beyond the 120th column', () => {
    expect(tooWide(text, 120)).toEqual([]);
  });

  it('keeps every column in the tables, "Granted by" and the note beside their rows', () => {
    expect(text).toMatch(/^ {2}Contact\s+✓\s+✗\s+✗\s+missing create, edit$/m);
    expect(text).toMatch(
      /^ {2}Task\s+✓\s+✓\s+✓\s+ok\s+Every user \(activities on records it can see\); Profile:/m,
    );
    expect(text.replace(/\n {4}(?=\S)/g, ' ')).toContain(
      '\n  Granted by, unless a row says otherwise: Profile: HubSpot Integration User; Permission set: HubSpot Integration Permissions\n',
    );
    expect(text).not.toContain('Granted by:');
    expect(text).toMatch(/^ {2}Contact\.Email \[1\]\s+email\s+read, edit\s+✓\s+✗$/m);
    expect(text).toMatch(/^ {2}\[1\] Blocked by the object access on Contact\.$/m);
    expect(text).toMatch(
      /^Sync Doctor {2}integration user hubspot\.integration@acme\.example \(HubSpot Integration\) {2}in Acme Corporation, EU42$/m,
    );
    expect(text).toMatch(/4 API requests to read the org · org API usage/);
  });
});

describe('machine output does not depend on the width', () => {
  it('--json and --report are the same at 60 and 120 columns and without a terminal', async () => {
    // Each run judges anew: only its timestamps may differ.
    const untimed = (text: string) =>
      // ISO times, Salesforce's (+0000, the demo org's logins) and the report's minutes ('... UTC').
      text.replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d{4}| UTC)/g, '<time>');
    for (const flag of ['--json', '--report']) {
      const narrow = untimed(await check(60, flag));
      expect(narrow.length).toBeGreaterThan(500);
      expect(untimed(await check(120, flag))).toBe(narrow);
      expect(untimed(await check(undefined, flag))).toBe(narrow);
    }
  });
});

describe('tables at narrow widths', () => {
  const headers = ['Name', 'Status', 'Why'];
  const rows = [
    ['short', 'ok', 'a reason long enough to wrap over several lines of text'],
    ['a-much-longer-name', 'missing edit', ''],
  ];

  it('fold the long column under each row with its header, and skip it when empty', () => {
    expect(renderTable(headers, rows, { width: 40 }).split('\n')).toEqual([
      '  Name                Status',
      '  short               ok',
      '      Why: a reason long enough to wrap',
      '      over several lines of text',
      '  a-much-longer-name  missing edit',
    ]);
  });

  it('keep the table whole when the long column stays wide enough', () => {
    const lines = renderTable(headers, rows, { width: 80 }).split('\n');
    expect(lines[1]).toBe(
      '  short               ok            a reason long enough to wrap over several',
    );
    expect(lines.every((l) => visibleLength(l) <= 80)).toBe(true);
  });

  it('cut cells with an ellipsis in the middle as a last resort, so names stay apart', () => {
    const table = renderTable(
      ['Limit', 'Used'],
      [
        ['DailyApiRequests', '1'],
        ['DailyApiRequests.HubSpot', '2'],
      ],
      { width: 20, wrap: [] },
    );
    const lines = table.split('\n');
    expect(lines.every((l) => visibleLength(l) <= 20)).toBe(true);
    expect(lines[1]).not.toBe(lines[2]!.replace('2', '1'));
    expect(lines[2]).toMatch(/…/);
    expect(truncateText('DailyApiRequests.HubSpot', 13)).toBe(
      'DailyA…HubSpot'.slice(0, 6) + '…' + 'HubSpot'.slice(-6),
    );
    expect(truncateText('short', 13)).toBe('short');
  });
});

describe('check at the narrowest width, 40 columns', () => {
  // The findings' headings name a subject (a username, a permission set) that may be wider than
  // what is left beside the number and the severity: it goes to a line of its own, wrapped.
  it.each(['restricted-ip', 'missing-permission-set', 'sync-stopped', 'api-limit-near'])(
    '%s: passes no line beyond the 40th column',
    async (fixture) => {
      const { io, stdout } = memoryIo({ columns: 40, env: { NO_COLOR: '1' } });
      await main(['check', '--demo', fixture], io);
      const text = stdout();
      expect(text).toContain('Findings (');
      expect(tooWide(text, 40)).toEqual([]);
    },
  );
});
