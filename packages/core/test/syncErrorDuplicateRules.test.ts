/**
 * A duplicate group of HubSpot's exported sync errors that a duplicate rule refused
 * (DUPLICATES_DETECTED): Salesforce names no rule, so the org's active duplicate rules (read by the
 * Node collector through the User Interface API) say which refuse HubSpot's writes: a rule that
 * blocks, and one that only alerts, since an API write that does not ask to save anyway is refused.
 */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import {
  duplicateRuleFacts,
  duplicateRuleNow,
  syncErrorsDuplicateRuleObjects,
} from '../src/relayed/duplicateRules.js';
import { syncErrorKindInfo } from '../src/relayed/syncErrorKinds.js';
import { syncErrorRowDetail } from '../src/relayed/salesforceErrorText.js';
import { syncErrorGroupNow } from '../src/relayed/syncErrorsNow.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import { fixture } from './support.js';

/** A Duplicate Rule of the User Interface API's duplicates configuration. */
const rule = (name: string, insert: string, update: string, alert = true) => ({
  name,
  active: true,
  actionOnInsert: insert,
  actionOnUpdate: update,
  operationsOnInsert: alert ? ['Alert', 'Report'] : ['Report'],
  operationsOnUpdate: alert ? ['Alert'] : [],
  matchRules: [],
});

/** GET /ui-api/duplicates/{object}: only active rules are listed. */
const config = (apiName: string, rules: object[]) => ({
  apiName,
  dedupeEnabled: rules.length > 0,
  dedupeFields: [],
  duplicateRules: rules,
  predupeEnabled: rules.length > 0,
});

const REFUSED = 'DUPLICATES_DETECTED: Use one of these records?';
const group = (object: string | null, example: string | null = REFUSED) => ({
  reason: null,
  errorType: 'Duplicates',
  object,
  field: null,
  example,
});

function diagnosisWith(configs: unknown[] | undefined) {
  const snapshot = fixture('healthy');
  if (configs) snapshot.duplicateRules = configs;
  return evaluateAccess(snapshot);
}

describe('the duplicate rules read', () => {
  it('keep each object read, its rules with what they do to an API create and edit', () => {
    expect(
      duplicateRuleFacts([
        config('Contact', [
          rule('Standard Contact Duplicate Rule', 'Allow', 'Allow'),
          rule('Block Same Email', 'Block', 'Allow', false),
          rule('Report Only', 'Allow', 'Allow', false),
          { ...rule('Gone', 'Block', 'Block'), active: false },
          { active: true },
        ]),
        config('Lead', []),
        { duplicateRules: [] },
      ]),
    ).toEqual([
      {
        object: 'Contact',
        rules: [
          { name: 'Standard Contact Duplicate Rule', onCreate: 'alert', onEdit: 'alert' },
          { name: 'Block Same Email', onCreate: 'block', onEdit: null },
          { name: 'Report Only', onCreate: null, onEdit: null },
        ],
      },
      { object: 'Lead', rules: [] },
    ]);
    expect(duplicateRuleFacts(undefined)).toBeUndefined();
    expect(duplicateRuleFacts({})).toBeUndefined();
  });

  it('reach the diagnosis only when read, and the snapshot stays valid with them', () => {
    expect(diagnosisWith([config('Contact', [])]).duplicateRules).toEqual([
      { object: 'Contact', rules: [] },
    ]);
    expect('duplicateRules' in diagnosisWith(undefined)).toBe(false);
    const snapshot = fixture('healthy');
    snapshot.duplicateRules = [config('Contact', [rule('X', 'Block', 'Block')])];
    expect(validateSnapshot(snapshot).ok).toBe(true);
  });
});

describe("a duplicate group's Now line", () => {
  const read = duplicateRuleFacts([
    config('Contact', [
      rule('Standard Contact Duplicate Rule', 'Allow', 'Allow'),
      rule('Report Only', 'Allow', 'Allow', false),
    ]),
    config('Lead', [rule('Standard Lead Duplicate Rule', 'Block', 'Allow')]),
    config('Account', [rule('Report Only', 'Allow', 'Allow', false)]),
  ]);

  it("names the rules on a contact's Contact and Lead that refuse an API write, and why an alert does", () => {
    expect(duplicateRuleNow(group('contact'), read)).toEqual({
      ok: false,
      text: "Now: the active duplicate rules Contact's Standard Contact Duplicate Rule (alerts on create and edit) and Lead's Standard Lead Duplicate Rule (blocks on create, alerts on edit) refuse a duplicate HubSpot writes: a rule that alerts refuses an API write as a block does, unless the write asks to save anyway (Setup > Duplicate Management > Duplicate Rules).",
    });
  });

  it('says one blocking rule without the alert clause', () => {
    const blocks = duplicateRuleFacts([config('Account', [rule('No Twins', 'Block', 'Block')])]);
    expect(duplicateRuleNow(group('company'), blocks)).toEqual({
      ok: false,
      text: "Now: the active duplicate rule Account's No Twins (blocks on create and edit) refuses a duplicate HubSpot writes (Setup > Duplicate Management > Duplicate Rules).",
    });
  });

  it('says a resync is all when no active rule on the objects blocks or alerts (a report-only rule does not refuse)', () => {
    expect(duplicateRuleNow(group('company'), read)).toEqual({
      ok: true,
      text: 'Now: no active duplicate rule on Account blocks or alerts; resync these records.',
    });
  });

  it('says nothing when an object of the group was not read, nor of a unique field or of HubSpot’s e-mail check', () => {
    const contactOnly = duplicateRuleFacts([config('Contact', [])]);
    expect(duplicateRuleNow(group('contact'), contactOnly)).toBeNull();
    expect(duplicateRuleNow(group('contact'), undefined)).toBeNull();
    expect(
      duplicateRuleNow(
        group(
          'contact',
          'DUPLICATE_VALUE: duplicate value found: Email__c duplicates value on record with id: 003',
        ),
        read,
      ),
    ).toBeNull();
    expect(duplicateRuleNow(group('contact', 'Email already in use'), read)).toBeNull();
    expect(duplicateRuleNow(group('Invoices'), read)).toBeNull();
  });

  it('is the Now line of a duplicate group in every view', () => {
    const diagnosis = diagnosisWith([
      config('Contact', [rule('Standard Contact Duplicate Rule', 'Allow', 'Allow')]),
      config('Lead', []),
    ]);
    expect(syncErrorGroupNow(group('contact'), diagnosis)?.text).toMatch(
      /^Now: the active duplicate rule Contact's Standard Contact Duplicate Rule \(alerts on create and edit\) refuses/,
    );
    expect(syncErrorGroupNow(group('contact'), diagnosisWith(undefined))).toBeNull();
  });
});

describe('a duplicate rule under conditions', () => {
  // The User Interface API lists a rule's conditions (duplicateRuleFilters) without a documented
  // shape for them: only whether it has any is read.
  const conditional = (name: string, insert: string, update: string) => ({
    ...rule(name, insert, update),
    duplicateRuleFilters: [{ booleanFilter: null, filterItems: [] }],
  });

  it('is kept as having conditions, and a rule with an empty list as having none', () => {
    expect(
      duplicateRuleFacts([
        config('Contact', [
          conditional('Not HubSpot', 'Block', 'Block'),
          rule('Plain', 'Block', 'Block'),
        ]),
      ]),
    ).toEqual([
      {
        object: 'Contact',
        rules: [
          { name: 'Not HubSpot', onCreate: 'block', onEdit: 'block', conditions: true },
          { name: 'Plain', onCreate: 'block', onEdit: 'block' },
        ],
      },
    ]);
  });

  it('is named as refusing under conditions that may already leave out the integration user', () => {
    const read = duplicateRuleFacts([
      config('Contact', [conditional('Standard Contact Duplicate Rule', 'Block', 'Block')]),
      config('Lead', []),
    ]);
    expect(duplicateRuleNow(group('contact'), read)?.text).toBe(
      "Now: the active duplicate rule Contact's Standard Contact Duplicate Rule (blocks on create and edit, under conditions) refuses a duplicate HubSpot writes (Setup > Duplicate Management > Duplicate Rules). Its conditions may already leave out the integration user (Current User: Username not equal to it): if they do, it refuses none of HubSpot's writes.",
    );
    const both = duplicateRuleFacts([
      config('Contact', [conditional('A', 'Block', 'Block')]),
      config('Lead', [conditional('B', 'Allow', 'Allow')]),
    ]);
    expect(duplicateRuleNow(group('contact'), both)?.text).toMatch(
      / Their conditions may already leave out the integration user \(Current User: Username not equal to it\): a rule whose conditions do refuses none of HubSpot's writes\.$/,
    );
  });
});

describe("the app's duplicate rules, read by name only", () => {
  // The Apex reads the DuplicateRule object (MasterLabel per SobjectType), which holds no actions.
  const byName = (apiName: string, ...names: string[]) => ({
    apiName,
    duplicateRules: names.map((name) => ({ name, active: true })),
  });

  it("keep a rule without actions as 'unread', never as allowed", () => {
    expect(duplicateRuleFacts([byName('Contact', 'Standard Contact Duplicate Rule')])).toEqual([
      {
        object: 'Contact',
        rules: [{ name: 'Standard Contact Duplicate Rule', onCreate: 'unread', onEdit: 'unread' }],
      },
    ]);
  });

  it('name the active rules and say what on their Setup pages makes them refuse', () => {
    const read = duplicateRuleFacts([
      byName('Contact', 'Standard Contact Duplicate Rule'),
      byName('Lead', 'Standard Lead Duplicate Rule'),
      byName('Account'),
      byName('Opportunity', 'Same Deal'),
    ]);
    expect(duplicateRuleNow(group('contact'), read)).toEqual({
      ok: false,
      text: "Now: the active duplicate rules Contact's Standard Contact Duplicate Rule and Lead's Standard Lead Duplicate Rule refuse a duplicate HubSpot writes if they block or alert, as their pages in Setup > Duplicate Management > Duplicate Rules show.",
    });
    expect(duplicateRuleNow(group('deal'), read)).toEqual({
      ok: false,
      text: "Now: the active duplicate rule Opportunity's Same Deal refuses a duplicate HubSpot writes if it blocks or alerts, as its page in Setup > Duplicate Management > Duplicate Rules shows.",
    });
    // No active rule at all on the object: whatever refused the records is gone.
    expect(duplicateRuleNow(group('company'), read)).toEqual({
      ok: true,
      text: 'Now: no active duplicate rule on Account blocks or alerts; resync these records.',
    });
  });

  it('say which actions were read where a rule of each kind meets', () => {
    const read = duplicateRuleFacts([
      config('Contact', [rule('No Twins', 'Block', 'Block')]),
      byName('Lead', 'Standard Lead Duplicate Rule'),
    ]);
    expect(duplicateRuleNow(group('contact'), read)?.text).toBe(
      "Now: the active duplicate rules Contact's No Twins (blocks on create and edit) and Lead's Standard Lead Duplicate Rule (actions not read) refuse a duplicate HubSpot writes (Setup > Duplicate Management > Duplicate Rules).",
    );
  });
});

describe('the duplicate rules asked for', () => {
  const syncErrors = (...groups: { object: string; example: string; errorType?: string }[]) => ({
    receivedAt: '2026-12-03T09:30:00.000Z',
    rows: groups.length,
    groupsLeftOut: 0,
    groups: groups.map((g) => ({
      reason: null,
      errorType: g.errorType ?? 'Duplicates',
      object: g.object,
      field: null,
      example: g.example,
      count: 1,
    })),
  });

  it('are the objects of each group a duplicate rule refused, once each, and none for others', () => {
    expect(
      syncErrorsDuplicateRuleObjects(
        syncErrors(
          { object: 'contact', example: REFUSED },
          { object: 'deal', example: 'DUPLICATE_VALUE: duplicate value found' },
          { object: 'company', example: REFUSED },
          { object: 'Contact', example: REFUSED },
        ),
      ),
    ).toEqual(['Contact', 'Lead', 'Account']);
    expect(syncErrorsDuplicateRuleObjects(syncErrors({ object: 'contact', example: 'x' }))).toEqual(
      [],
    );
    expect(syncErrorsDuplicateRuleObjects(null)).toEqual([]);
  });

  it("advise a rule's refusal on how a rule refuses an API write and how to let HubSpot through", () => {
    const advice = syncErrorKindInfo(group('contact')).advice;
    expect(advice).toContain(
      "A rule refuses HubSpot's writes when it blocks, and also when it only alerts, since an API write is refused unless it asks to save anyway.",
    );
    expect(advice).toContain('(Current User: Username not equal to it)');
    // A unique field, or HubSpot's own e-mail check: no rule to change, the general advice.
    for (const example of ['DUPLICATE_VALUE: duplicate value found', 'Email already in use'])
      expect(syncErrorKindInfo(group('contact', example)).advice).toMatch(
        /^A Salesforce duplicate rule matched, a unique or external-ID field already holds the value/,
      );
  });

  it("keep a rule's refusals apart from a unique field's in the relay's groups", () => {
    expect(syncErrorRowDetail(REFUSED)).toBe('DUPLICATES_DETECTED');
    expect(syncErrorRowDetail('DUPLICATE_VALUE: duplicate value found')).toBe('');
  });
});
