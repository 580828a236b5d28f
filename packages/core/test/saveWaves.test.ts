import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { planRemediation, saveWaves } from '../src/remediation/planRemediation.js';
import { FIXTURE_NAMES, fixture } from './support.js';

/** The object names of each wave, wave by wave, in the order given. */
function waveNames(rows: { sobjectType: string; requiredBy?: string[] }[]): string[][] {
  const waves: string[][] = [];
  saveWaves(rows).forEach((wave, i) => (waves[wave] ??= []).push(rows[i]!.sobjectType));
  expect(waves.every(Boolean)).toBe(true);
  return waves;
}

describe('saveWaves', () => {
  it('saves Account and Contact together when each needs the other (Person Accounts), Opportunity after them', () => {
    const rows = [
      { sobjectType: 'Account', requiredBy: ['Contact', 'Opportunity'] },
      { sobjectType: 'Contact', requiredBy: ['Account'] },
      { sobjectType: 'Lead' },
      { sobjectType: 'Opportunity' },
    ];
    expect(saveWaves(rows)).toEqual([0, 0, 0, 1]);
  });

  it('takes one wave a link of a chain, grand-master first, whatever order the rows are listed in', () => {
    const rows = [
      { sobjectType: 'Invoice_Line__c' },
      { sobjectType: 'Invoice__c', requiredBy: ['Invoice_Line__c'] },
      { sobjectType: 'Account', requiredBy: ['Invoice__c'] },
    ];
    expect(waveNames(rows)).toEqual([['Account'], ['Invoice__c'], ['Invoice_Line__c']]);
  });

  it('a chain ending in a cycle: the cycle together, its children after', () => {
    const rows = [
      { sobjectType: 'Contact', requiredBy: ['Account'] },
      { sobjectType: 'Account', requiredBy: ['Contact', 'Invoice__c'] },
      { sobjectType: 'Invoice__c', requiredBy: ['Invoice_Line__c'] },
      { sobjectType: 'Invoice_Line__c' },
    ];
    expect(waveNames(rows)).toEqual([['Contact', 'Account'], ['Invoice__c'], ['Invoice_Line__c']]);
  });

  it('the case the Apex applier is tested with (TestSyncDoctorRemediationGrantWriter)', () => {
    const rows = [
      { sobjectType: 'Invoice_Line__c' },
      { sobjectType: 'Invoice__c', requiredBy: ['Invoice_Line__c'] },
      { sobjectType: 'Contact', requiredBy: ['Account'] },
      { sobjectType: 'Account', requiredBy: ['Contact', 'Invoice__c'] },
      { sobjectType: 'Lead' },
    ];
    expect(waveNames(rows)).toEqual([
      ['Contact', 'Account', 'Lead'],
      ['Invoice__c'],
      ['Invoice_Line__c'],
    ]);
  });

  it('matches names whatever their case, and ignores children not listed, itself, and what is not a name', () => {
    const rows = [
      { sobjectType: 'account', requiredBy: ['CONTACT', 'Account', 'Case'] },
      { sobjectType: 'Contact', requiredBy: [42 as unknown as string] },
      { sobjectType: 'Lead', requiredBy: 'Contact' as unknown as string[] },
    ];
    expect(saveWaves(rows)).toEqual([0, 1, 0]);
    expect(saveWaves([])).toEqual([]);
  });

  it('a cycle of three with a chain out of each member: one wave for the cycle, one after for every child', () => {
    const rows = [
      { sobjectType: 'A__c', requiredBy: ['B__c', 'X__c'] },
      { sobjectType: 'B__c', requiredBy: ['C__c', 'Y__c'] },
      { sobjectType: 'C__c', requiredBy: ['A__c'] },
      { sobjectType: 'X__c', requiredBy: ['Y__c'] },
      { sobjectType: 'Y__c' },
    ];
    expect(saveWaves(rows)).toEqual([0, 0, 0, 1, 2]);
  });
});

describe("planRemediation's saveWave", () => {
  it.each(FIXTURE_NAMES)(
    '%s: each row is saved after the rows whose Read it needs, as saveWaves says',
    (name) => {
      const { objectPermissions } = planRemediation(evaluateAccess(fixture(name)));
      expect(objectPermissions.map((o) => o.saveWave)).toEqual(saveWaves(objectPermissions));
      const waveOf = new Map(objectPermissions.map((o) => [o.sobjectType, o.saveWave]));
      for (const parent of objectPermissions)
        for (const child of parent.requiredBy ?? [])
          expect(waveOf.get(child)).toBeGreaterThanOrEqual(parent.saveWave);
    },
  );
});
