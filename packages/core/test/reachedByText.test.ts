/** reachedByText: an object's reachedBy as the object matrix and the report write it. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { reachedByText } from '../src/index.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { fixture, object } from './support.js';

describe('reachedByText', () => {
  it('joins the lookups as one phrase, never "lookup from X; lookup from Y"', () => {
    expect(
      reachedByText(['lookup from Contact.AccountId', 'lookup from Opportunity.AccountId']),
    ).toBe('lookups from Contact.AccountId and Opportunity.AccountId');
  });

  it('keeps one entry as it is, and kinds apart with the separator', () => {
    expect(reachedByText(['lookup from Contact.AccountId'])).toBe('lookup from Contact.AccountId');
    expect(
      reachedByText([
        'mapped field Widget__c.Score__c (edit)',
        'lookup from Contact.Widget__c',
        'mapped field Widget__c.Name',
        'lookup from Lead.Widget__c',
      ]),
    ).toBe(
      'mapped fields Widget__c.Score__c (edit) and Widget__c.Name; lookups from Contact.Widget__c and Lead.Widget__c',
    );
    expect(reachedByText(['lookup from A.B', 'mapped field C.D'], ' and the ')).toBe(
      'lookup from A.B and the mapped field C.D',
    );
  });

  it('names each source once, whatever its spelling', () => {
    expect(
      reachedByText(['lookup from Contact.AccountId', 'lookup from contact.accountid', 'other']),
    ).toBe('lookup from Contact.AccountId; other');
    expect(reachedByText([])).toBe('');
  });
});

describe("collectObjects: an object's reachedBy names each lookup once", () => {
  it('the same lookup field mapped twice in two spellings is one source', () => {
    const d = evaluateAccess(
      fixture('lookup-to-unreadable-object'),
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [{ name: 'contact.accountid', access: ['read'] }],
      }),
    );
    const lookups = object(d, 'Account').reachedBy!.filter((r) => r.startsWith('lookup'));
    expect(lookups.map((r) => r.toLowerCase())).toEqual([
      'lookup from contact.accountid',
      'lookup from opportunity.accountid',
    ]);
  });
});
