/**
 * What the shown status's sync errors add to the requirements: only what they ask beyond them, so
 * the snapshot is read again only when that is not empty.
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
  it('asks the fields and objects the requirements lack, read and edit', () => {
    const asked = syncErrorsAsking(
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
    // Account.Industry and Opportunity (read, create, edit) are required already.
    // A custom field's API name, even from the export's field column, is no label: required outright.
    expect(asked.fields).toEqual([{ name: 'Account.Rating__c', access: ['read', 'edit'] }]);
    expect(asked.objects).toEqual([{ name: 'Invoice__c', access: ['read', 'edit'] }]);
  });

  it("reads the shown portal's record: --portal's, else the newest; nothing when unread", () => {
    const both = read({
      '1': [group('FIELD_PERMISSIONS_MISSING', 'Account', 'One__c')],
      '2': [group('FIELD_PERMISSIONS_MISSING', 'Account', 'Two__c')],
    });
    const names = (portal?: string) =>
      syncErrorsAsking({ relayedStatus: both }, portal, DEFAULT_REQUIREMENTS).fields.map(
        (f) => f.name,
      );
    expect(names()).toEqual(['Account.One__c']);
    expect(names('2')).toEqual(['Account.Two__c']);
    expect(names('3')).toEqual([]);
    const unread = {
      ...both,
      unavailable: { cause: 'no-access' as const, errorCode: 'X', message: 'x' },
    };
    expect(syncErrorsAsking({ relayedStatus: unread }, undefined, DEFAULT_REQUIREMENTS)).toEqual({
      objects: [],
      fields: [],
    });
  });

  it('a field the requirements ask only read of is asked again, for edit', () => {
    const asked = syncErrorsAsking(
      {
        relayedStatus: read({ '1': [group('FIELD_PERMISSIONS_MISSING', 'Account', 'Rating__c')] }),
      },
      undefined,
      { ...DEFAULT_REQUIREMENTS, fields: [{ name: 'account.rating__c', access: ['read'] }] },
    );
    expect(asked.fields.map((f) => f.name)).toEqual(['Account.Rating__c']);
  });
});
