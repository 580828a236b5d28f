import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readDateHeader } from '../src/inputs/mailDates.js';

// A notice whose Date header names no zone ("Mon, 30 Nov 2026 10:00:00", which RFC 5322 does not
// allow but old scripts and gateways write) was read by JavaScript in the host's own time zone:
// the same message was 10:00 UTC on one host and 15:00 UTC on another in New York, so the relays
// of one deployment disagreed on when a suspension began and on its notice's key. It is read as
// UTC now (RFC 5322 §4.3's reading of an unknown zone, "-0000"), whatever the host's zone.

const CASES: [string, string | null][] = [
  ['Mon, 30 Nov 2026 10:00:00', '2026-11-30T10:00:00.000Z'],
  ['30 Nov 2026 10:00', '2026-11-30T10:00:00.000Z'],
  ['Mon, 30 Nov 2026 10:00:00 (no zone, a comment)', '2026-11-30T10:00:00.000Z'],
  [' Mon, 30 Nov 2026\r\n 10:00:00', '2026-11-30T10:00:00.000Z'],
  // asctime's form (C's ctime(), old scripts): the year after the time.
  ['Mon Nov 30 10:00:00 2026', '2026-11-30T10:00:00.000Z'],
  ['Mon, 30 Nov 2026 10:00:00.250', '2026-11-30T10:00:00.250Z'],
  ['11/30/2026 10:00:00 PM', '2026-11-30T22:00:00.000Z'],
  ['2026-11-30T10:00:00.5', '2026-11-30T10:00:00.500Z'],
  ['Mon Nov 30 10:00:00 EST 2026', '2026-11-30T15:00:00.000Z'],
  // Zones said keep their meaning.
  ['Mon, 30 Nov 2026 10:00:00 -0500', '2026-11-30T15:00:00.000Z'],
  ['Mon, 30 Nov 2026 10:00:00 +01:00', '2026-11-30T09:00:00.000Z'],
  ['Mon, 30 Nov 2026 10:00:00 CET', '2026-11-30T09:00:00.000Z'],
  ['Mon, 30 Nov 2026 10:00:00 EST', '2026-11-30T15:00:00.000Z'],
  ['Mon, 30 Nov 2026 25:00:00', null],
];

describe('a Date header that names no zone', () => {
  test.each(CASES)('"%s" is %s in this process', (value, iso) => {
    expect(readDateHeader(value).date?.toISOString() ?? null).toBe(iso);
  });

  test('and on a host in New York (a process of its own, TZ=America/New_York)', () => {
    // The build, as the child relays run it: Node strips types but does not map './x.js' to x.ts.
    const source = fileURLToPath(new URL('../dist/inputs/mailDates.js', import.meta.url));
    const script = `
      const { readDateHeader } = await import(${JSON.stringify(source)});
      const cases = JSON.parse(process.argv[1]);
      console.log(JSON.stringify({
        offset: new Date(Date.UTC(2026, 10, 30)).getTimezoneOffset(),
        dates: cases.map(([value]) => readDateHeader(value).date?.toISOString() ?? null),
      }));`;
    const out = execFileSync(
      process.execPath,
      [
        '--experimental-strip-types',
        '--no-warnings',
        '--input-type=module',
        '-e',
        script,
        JSON.stringify(CASES),
      ],
      { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' },
    );
    const { offset, dates } = JSON.parse(out) as { offset: number; dates: (string | null)[] };
    // The child really is in New York (EST, UTC-5, on that day).
    expect(offset).toBe(300);
    expect(dates).toEqual(CASES.map(([, iso]) => iso));
  });
});
