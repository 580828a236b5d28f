import { DEFAULT_REQUIREMENTS, mergeRequirements } from './defaults.js';
import { isEmptyScope, scopeUnread, snapshotScope } from './scope.js';
import { evaluateAccess } from '../diagnosis/evaluateAccess.js';
import type { Requirements } from './types.js';

const none: Requirements = { objects: [], fields: [], permissionSets: [], systemPermissions: [] };

describe('snapshotScope', () => {
  it('reads the default requirements: their seven objects and every default mapped field', () => {
    const scope = snapshotScope(DEFAULT_REQUIREMENTS);
    expect(scope.objects).toEqual([
      'Lead',
      'Contact',
      'Account',
      'Opportunity',
      'Campaign',
      'Task',
      'User',
    ]);
    expect(scope.fields).toEqual(DEFAULT_REQUIREMENTS.fields.map((f) => f.name));
    expect(scope.fields).toContain('Contact.Email');
    expect(scope.fields.length).toBeLessThan(100);
  });

  it('adds the objects of extra fields after the requirement objects, once each', () => {
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [
        { name: 'Invoice__c.Amount__c', access: ['read'] },
        { name: 'invoice__c.Status__c', access: ['read', 'edit'] },
        { name: 'contact.HubSpot_Score__c', access: ['read'] },
      ],
    });
    const scope = snapshotScope(requirements);
    expect(scope.objects.slice(-1)).toEqual(['Invoice__c']);
    expect(scope.objects.filter((o) => o.toLowerCase() === 'contact')).toEqual(['Contact']);
    expect(scope.fields.slice(-3)).toEqual([
      'Invoice__c.Amount__c',
      'invoice__c.Status__c',
      'contact.HubSpot_Score__c',
    ]);
  });

  it('keeps the first spelling of names that differ only in case', () => {
    const scope = snapshotScope({
      objects: [
        { name: 'account', access: ['read'] },
        { name: 'Account', access: ['edit'] },
      ],
      fields: [
        { name: 'Account.Name', access: ['read'] },
        { name: 'ACCOUNT.NAME', access: ['edit'] },
        { name: 'Deal__c.Stage__c', access: ['read'] },
        { name: 'DEAL__C.Amount__c', access: ['read'] },
      ],
    });
    expect(scope).toEqual({
      objects: ['account', 'Deal__c'],
      fields: ['Account.Name', 'Deal__c.Stage__c', 'DEAL__C.Amount__c'],
    });
  });

  it('leaves out names no collector can read (the core reports them as invalid requirements)', () => {
    const scope = snapshotScope({
      objects: [
        { name: 'Bad Object', access: ['read'] },
        { name: '', access: ['read'] },
        { name: 'Lead', access: ['read'] },
      ],
      fields: [
        { name: 'Contact', access: ['read'] },
        { name: 'Contact.', access: ['read'] },
        { name: '.Email', access: ['read'] },
        { name: 'Contact.Email.Extra', access: ['read'] },
        { name: "Contact.Email' OR Id != null", access: ['read'] },
        { name: '1Contact.Email', access: ['read'] },
        { name: 'Contact.Email', access: ['read'] },
      ],
    });
    expect(scope).toEqual({ objects: ['Lead', 'Contact'], fields: ['Contact.Email'] });
    expect(
      evaluateAccess(
        { schemaVersion: 1, capturedAt: '2026-01-31T09:15:00.000Z', fields: {} },
        { ...none, fields: [{ name: 'Contact.', access: ['read'] }] },
      ).findings.map((f) => f.rule),
    ).toContain('invalid-requirement');
  });

  it('is empty for empty requirements and changes neither argument', () => {
    expect(snapshotScope(none)).toEqual({ objects: [], fields: [] });
    const before = JSON.stringify(DEFAULT_REQUIREMENTS);
    snapshotScope(DEFAULT_REQUIREMENTS);
    expect(JSON.stringify(DEFAULT_REQUIREMENTS)).toBe(before);
  });
});

describe('scopeUnread', () => {
  const read = snapshotScope(DEFAULT_REQUIREMENTS);

  it('asks nothing again for more rights on names already read, whatever their spelling', () => {
    const more = mergeRequirements(none, {
      objects: [{ name: 'contact', access: ['read', 'create', 'edit', 'delete'] }],
      fields: [{ name: 'LEAD.email', access: ['read', 'edit'] }],
    });
    const unread = scopeUnread(read, more);
    expect(unread).toEqual({ objects: [], fields: [] });
    expect(isEmptyScope(unread)).toBe(true);
  });

  it('names the fields and objects the read left out, with the object a new field is on', () => {
    const more = mergeRequirements(none, {
      objects: [{ name: 'Case', access: ['read'] }],
      fields: [
        { name: 'Contact.Score__c', access: ['read', 'edit'], ifExists: true },
        { name: 'Invoice__c.Total__c', access: ['read'] },
      ],
    });
    const unread = scopeUnread(read, more);
    expect(unread).toEqual({
      objects: ['Case', 'Invoice__c'],
      fields: ['Contact.Score__c', 'Invoice__c.Total__c'],
    });
    expect(isEmptyScope(unread)).toBe(false);
  });

  it('leaves out names no collector can read, as snapshotScope does', () => {
    const bad = mergeRequirements(none, {
      objects: [],
      fields: [{ name: 'Contact.', access: ['read'] }],
    });
    expect(scopeUnread(read, bad)).toEqual({ objects: [], fields: [] });
  });
});
