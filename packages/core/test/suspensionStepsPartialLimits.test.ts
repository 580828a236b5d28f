/**
 * A snapshot whose limits lack a storage limit or the daily API requests (the section is there, so
 * no warning: the verdict stays healthy): the steps must not say the cause is absent for what was
 * not read, and the agreement must not say it is fixed.
 */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { fixture } from './support.js';

function healthyWith(change: (s: Snapshot) => void) {
  const s = fixture('healthy');
  change(s);
  return evaluateAccess(s);
}

describe('suspension steps on limits read in part', () => {
  test('file storage unread: storage is not "not the cause now" on data storage alone', () => {
    const d = healthyWith((s) => {
      delete (s.limits as Record<string, unknown>).FileStorageMB;
    });
    expect(d.verdict).toBe('healthy');
    const check = checkSuspensionSteps('STORAGE_LIMIT_EXCEEDED', d);
    const step = check.steps[1]!;
    expect(step.outcome).toBeUndefined();
    expect(step.status).toBe('unknown');
    expect(step.evidence).toMatch(/file storage/i);
    expect(check.agreement).toBe('not-judged');
  });

  test('data storage unread and file storage full: still to do', () => {
    const d = healthyWith((s) => {
      delete (s.limits as Record<string, unknown>).DataStorageMB;
      s.limits!.FileStorageMB = { Max: 100, Remaining: 0 };
    });
    const check = checkSuspensionSteps('STORAGE_LIMIT_EXCEEDED', d);
    expect(check.steps[1]!.status).toBe('todo');
    expect(check.agreement).toBe('confirmed');
  });

  test('both read with room: not the cause now, fixed since (the optional parts read too)', () => {
    const check = checkSuspensionSteps(
      'STORAGE_LIMIT_EXCEEDED',
      healthyWith((s) => {
        s.user!.IsFrozen = false;
        s.logins = [];
        s.connectedApps = { apps: [], access: [] };
      }),
    );
    expect(check.steps[1]!.outcome).toBe('not-the-cause');
    expect(check.agreement).toBe('fixed-since');
  });
});
