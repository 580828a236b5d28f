/**
 * --junit, when the reader could not make every check (the core's `unchecked`): each such check is
 * a <skipped> testcase, counted as skipped, and the user's case no longer claims "not frozen".
 */
import { uncheckedOf, type Diagnosis } from '@sync-doctor/core';
import { renderJunit } from '../src/render/junit.js';
import { allCases, parseJunit } from './junitXml.js';
import { readOnlyContactsDiagnosis } from './support.js';

const unchecked = uncheckedOf({ capturedAt: '2026-11-28T12:00:00.000Z', user: {} as never });

function partly(): Diagnosis {
  return {
    ...readOnlyContactsDiagnosis(),
    user: { id: '0055g00000HubSpUAAS', username: 'hubspot@acme.com', isActive: true },
    unchecked,
  };
}

describe('renderJunit, partly checked', () => {
  it('skips what was not read instead of passing it', () => {
    const xml = renderJunit(partly(), { failOn: 'error' });
    // Well-formed, every count equal to what it counts (parseJunit checks both).
    const names = allCases(parseJunit(xml)).map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Not checked: frozen state',
        'Not checked: Login History',
        "Not checked: HubSpot's connected app",
      ]),
    );
    expect(names.some((n) => n.endsWith('active, not frozen'))).toBe(false);
    expect(names.some((n) => /^Integration user .*: active$/.test(n))).toBe(true);
    expect(xml.match(/<skipped message="/g)).toHaveLength(3);
    expect(xml).toMatch(/<testsuites [^>]*skipped="3"/);
  });

  it('skips nothing when every part was read', () => {
    const xml = renderJunit(readOnlyContactsDiagnosis(), { failOn: 'error' });
    expect(xml).not.toContain('<skipped');
    expect(xml).toMatch(/<testsuites [^>]*skipped="0"/);
  });
});
