/**
 * The verdict line of a diagnosis that could not make every check (the core's `unchecked`): never a
 * bare HEALTHY, at any width, its colour never running past a line's end.
 */
import {
  partlyCheckedVerdictLabel,
  partlyCheckedVerdictSentence,
  uncheckedOf,
  verdictUncheckedSentence,
  type Diagnosis,
  type RelayedStatus,
} from '@sync-doctor/core';
import { renderHeader } from '../src/render/diagnosis.js';
import type { CheckContext } from '../src/render/diagnosis/context.js';
import { createStyle, stripAnsi, visibleLength } from '../src/render/style.js';
import { relayedStatus } from './support.js';

const unchecked = uncheckedOf({ capturedAt: '2026-11-28T12:00:00.000Z', user: {} as never });

function diagnosis(verdict: Diagnosis['verdict'], partly = true): Diagnosis {
  return {
    verdict,
    findings:
      verdict === 'healthy'
        ? []
        : [
            {
              reason: 'API_LIMIT_EXCEEDED',
              severity: verdict === 'blocked' ? 'error' : 'warning',
              subject: 'DailyApiRequests',
              message: 'm',
              remedy: 'r',
            },
          ],
    objects: [],
    fields: [],
    limits: [],
    ...(partly ? { unchecked } : {}),
  };
}

const plain = createStyle(false);
const colour = createStyle(true);

describe('the verdict, partly checked', () => {
  it('says PARTLY CHECKED, never HEALTHY, and qualifies AT RISK with what was not read, and who can read it', () => {
    const wide = renderHeader(diagnosis('healthy'), {}, { style: plain, width: 200 });
    expect(wide).toContain(
      "Verdict: PARTLY CHECKED (frozen state, Login History and HubSpot's connected app not read)  0 errors, 0 warnings, 0 notes",
    );
    expect(wide).toContain('  No problems found in what Sync Doctor could read.\n');
    expect(wide).toContain(
      '  Not checked: frozen state, Login History and HubSpot\'s connected app. Check them by hand, or ask an admin who has these to check again: frozen state: "Manage Users"; Login History: "Manage Users" or',
    );
    expect(renderHeader(diagnosis('at-risk'), {}, { style: plain, width: 200 })).toContain(
      'Verdict: AT RISK (partly checked:',
    );
  });

  it('leaves a blocked verdict and a fully checked one as they were', () => {
    expect(renderHeader(diagnosis('blocked'), {}, { style: plain, width: 200 })).not.toMatch(
      /partly checked/i,
    );
    const full = renderHeader(diagnosis('healthy', false), {}, { style: plain, width: 200 });
    expect(full).toContain('Verdict: HEALTHY  0 errors');
    expect(full).not.toContain('Not checked');
  });

  it('wraps within 40 columns, each line coloured on its own', () => {
    const text = renderHeader(diagnosis('healthy'), {}, { style: colour, width: 40 });
    const lines = text.split('\n');
    for (const line of lines) {
      expect(visibleLength(line)).toBeLessThanOrEqual(40);
      // Every colour opened on a line is closed on it.
      const opened = (line.match(/\u001b\[3[0-8]m/g) ?? []).length;
      const closed = (line.match(/\u001b\[39m/g) ?? []).length;
      expect(closed).toBe(opened);
    }
    const words = stripAnsi(text).replace(/\s+/g, ' ');
    expect(words).toContain(
      "Verdict: PARTLY CHECKED (frozen state, Login History and HubSpot's connected app not read) 0 errors, 0 warnings, 0 notes",
    );
  });
});

describe('the verdict, partly checked, under a suspension', () => {
  const status = (state: RelayedStatus['state'] | null): CheckContext => ({
    relayed: {
      status: state ? relayedStatus({ state }) : null,
      updatedAt: null,
      source: 'relay',
      otherPortals: [],
      check: null,
    },
  });

  it.each([
    [null, 'PARTLY CHECKED', 'No problems found in what Sync Doctor could read.'],
    [
      'suspected' as const,
      'PARTLY CHECKED',
      "Sync Doctor finds nothing blocking in what it could read, but HubSpot may have suspended the sync, and Sync Doctor could not check the frozen state, where a frozen user would show; Login History, where logins refused by IP ranges, login hours or a lockout would show; and HubSpot's connected app, where its policies refusing the integration user would show.",
    ],
    [
      'suspended' as const,
      'PARTLY CHECKED, SYNC SUSPENDED',
      "Sync Doctor finds nothing blocking in what it could read, but HubSpot suspended the sync, and Sync Doctor could not check the frozen state, where a frozen user would show; Login History, where logins refused by IP ranges, login hours or a lockout would show; and HubSpot's connected app, where its policies refusing the integration user would show.",
    ],
  ])("with the relay's state %s: the app's label and sentence", (state, label, sentence) => {
    const d = diagnosis('healthy');
    const context = status(state);
    const words = renderHeader(d, context, { style: plain, width: 100 }).replace(/\s+/g, ' ');
    // The core's, which the app's badge and verdict say too.
    expect(partlyCheckedVerdictLabel(d, context.relayed!.status)!.toUpperCase()).toBe(label);
    expect(partlyCheckedVerdictSentence(d, context.relayed!.status)).toBe(sentence);
    expect(words).toContain(
      `Verdict: ${label} (frozen state, Login History and HubSpot's connected app not read) 0 errors, 0 warnings, 0 notes ${sentence} ${verdictUncheckedSentence(d)}`,
    );
    expect(words).not.toContain('HEALTHY');
    expect(words).not.toContain('ACCESS OK');
  });
});
