import { compareSeverity, SEVERITY_ORDER, worstSeverityBySubject } from './severity.js';
import type { Severity } from '../diagnosis/types.js';

describe('severity order', () => {
  it('sorts errors, then warnings, then notes, and an unknown severity last', () => {
    const severities = ['info', 'made-up', 'error', 'warning'] as Severity[];
    expect([...severities].sort(compareSeverity)).toEqual(['error', 'warning', 'info', 'made-up']);
    expect(SEVERITY_ORDER).toEqual(['error', 'warning', 'info']);
    expect(compareSeverity('warning', 'warning')).toBe(0);
  });

  it('keeps the worst severity of each subject, whatever order the findings come in', () => {
    const worst = worstSeverityBySubject([
      { subject: 'DailyApiRequests', severity: 'info' },
      { subject: 'DataStorageMB', severity: 'warning' },
      { subject: 'DailyApiRequests', severity: 'error' },
      { subject: 'DataStorageMB', severity: 'info' },
    ]);
    expect([...worst]).toEqual([
      ['DailyApiRequests', 'error'],
      ['DataStorageMB', 'warning'],
    ]);
  });
});
