/**
 * What the shown status's sync errors add to the requirements: all they ask is judged, and the
 * snapshot is read again only for names the first read did not read (the core's scopeUnread).
 */
import { DEFAULT_REQUIREMENTS, type RelayedSyncErrors } from '@sync-doctor/core';
import type { RelayedStatusRead } from '@sync-doctor/salesforce';
import { syncErrorsAsking } from '../src/commands/check/collect.js';
import { relayedStatus } from './support.js';

function group(
  reason: 'FIELD_PERMISSIONS_MISSING' | 'OBJECT_PERMISSIONS_MISSING',
  object: string,
  field: string | null,
) {
  return { reason, errorType: 'permission', object, field, count: 1, example: null };
}

function read(portalErrors: Record<string, RelayedSyncErrors['groups']>): RelayedStatusRead {
  return {
    records: Object.entries(portalErrors).map(([portalId, groups]) => ({
      status: relayedStatus({
        portalId,
        syncErrors: { receivedAt: '2026-11-28T09:00:00.000Z', rows: 1, groups, groupsLeftOut: 0 },
      }),
      updatedAt: null,
    })),
  };
}

describe('syncErrorsAsking', () => {
  it('judges the fields and objects they name, read and edit; reads only the names not read', () => {
    const { requirements, unread } = syncErrorsAsking(
      {
        relayedStatus: read({
          '1': [
            group('FIELD_PERMISSIONS_MISSING', 'Account', 'Rating__c'),
            group('FIELD_PERMISSIONS_MISSING', 'Account', 'Industry'),
            group('OBJECT_PERMISSIONS_MISSING', 'Invoice__c', null),
            group('OBJECT_PERMISSIONS_MISSING', 'deal', null),
          ],
        }),
      },
      undefined,
      DEFAULT_REQUIREMENTS,
    );
    // Account.Industry and Opportunity (read, create, edit) were read already: nothing to read.
    // A custom field's API name, even from the export's field column, is no label: required outright.
    expect(unread).toEqual({ objects: ['Invoice__c'], fields: ['Account.Rating__c'] });
    const field = (name: string) => requirements.fields.find((f) => f.name === name);
    expect(field('Account.Rating__c')).toEqual({
      name: 'Account.Rating__c',
      access: ['read', 'edit'],
    });
    expect(field('Account.Industry')?.access).toEqual(['read', 'edit']);
    expect(requirements.objects).toContainEqual({ name: 'Invoice__c', access: ['read', 'edit'] });
    expect(requirements.objects.find((o) => o.name === 'Opportunity')?.access).toEqual([
      'read',
      'create',
      'edit',
    ]);
  });

  it("reads the shown portal's record: --portal's, else the newest; nothing when unread", () => {
    const both = read({
      '1': [group('FIELD_PERMISSIONS_MISSING', 'Account', 'One__c')],
      '2': [group('FIELD_PERMISSIONS_MISSING', 'Account', 'Two__c')],
    });
    const names = (portal?: string) =>
      syncErrorsAsking({ relayedStatus: both }, portal, DEFAULT_REQUIREMENTS).unread.fields;
    expect(names()).toEqual(['Account.One__c']);
    expect(names('2')).toEqual(['Account.Two__c']);
    expect(names('3')).toEqual([]);
    const unread = {
      ...both,
      unavailable: { cause: 'no-access' as const, errorCode: 'X', message: 'x' },
    };
    expect(syncErrorsAsking({ relayedStatus: unread }, undefined, DEFAULT_REQUIREMENTS)).toEqual({
      requirements: DEFAULT_REQUIREMENTS,
      unread: { objects: [], fields: [] },
    });
  });

  it('a field read for read only is judged for edit too, without a new read', () => {
    const { requirements, unread } = syncErrorsAsking(
      {
        relayedStatus: read({ '1': [group('FIELD_PERMISSIONS_MISSING', 'Account', 'Rating__c')] }),
      },
      undefined,
      { ...DEFAULT_REQUIREMENTS, fields: [{ name: 'account.rating__c', access: ['read'] }] },
    );
    expect(unread).toEqual({ objects: [], fields: [] });
    expect(requirements.fields).toEqual([{ name: 'account.rating__c', access: ['read', 'edit'] }]);
  });

  it("an object the first read read as a field's object is not read again", () => {
    const { requirements, unread } = syncErrorsAsking(
      { relayedStatus: read({ '1': [group('OBJECT_PERMISSIONS_MISSING', 'Invoice__c', null)] }) },
      undefined,
      {
        ...DEFAULT_REQUIREMENTS,
        objects: [],
        fields: [{ name: 'Invoice__c.Amount__c', access: ['read'] }],
      },
    );
    expect(unread).toEqual({ objects: [], fields: [] });
    expect(requirements.objects).toEqual([{ name: 'Invoice__c', access: ['read', 'edit'] }]);
  });
});
