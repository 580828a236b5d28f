import type { Diagnosis, RelayedStatus, RelayedSyncErrors } from '@sync-doctor/core';
import type { Io } from '../src/io.js';

/** Streams that remember what was written. */
export function memoryIo(
  options: { tty?: boolean; env?: Record<string, string>; columns?: number } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: {
      write: (c: string) => out.push(c),
      isTTY: options.tty,
      columns: options.columns ?? 100,
    },
    stderr: { write: (c: string) => err.push(c), isTTY: options.tty },
    env: options.env ?? {},
    cwd: process.cwd(),
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** A diagnosis as the core would give for an integration user who cannot edit Contact. */
export function readOnlyContactsDiagnosis(): Diagnosis {
  return {
    verdict: 'blocked',
    findings: [
      {
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'error',
        subject: 'Contact',
        message: 'The integration user cannot edit Contact records.',
        remedy: "Give edit on Contact in the permission set 'HubSpot Integration Permissions'.",
        rule: 'Object rights are the union of the profile and the active permission sets.',
      },
      {
        reason: 'API_LIMIT_EXCEEDED',
        severity: 'warning',
        subject: 'DailyApiRequests',
        message: 'The org has used 80% of its daily API requests.',
        remedy: 'Lower the HubSpot API allocation.',
      },
    ],
    objects: [
      {
        name: 'Contact',
        required: ['read', 'create', 'edit'],
        effective: {
          read: true,
          create: true,
          edit: false,
          delete: false,
          viewAll: false,
          modifyAll: false,
        },
        grantedBy: ['Profile: Read Only'],
      },
      {
        name: 'Lead',
        required: ['read', 'create', 'edit'],
        effective: {
          read: true,
          create: true,
          edit: true,
          delete: true,
          viewAll: false,
          modifyAll: false,
        },
        grantedBy: ['Permission set: HubSpot Integration Permissions'],
      },
      {
        name: 'Group',
        required: [],
        effective: {
          read: false,
          create: false,
          edit: false,
          delete: false,
          viewAll: false,
          modifyAll: false,
        },
        grantedBy: [],
        reachedBy: ['lookup from Lead.OwnerId'],
      },
    ],
    fields: [
      {
        name: 'Contact.Email',
        required: ['read', 'edit'],
        effective: { read: true, edit: false },
        grantedBy: ['Profile: Read Only'],
        note: 'read-only through the profile',
        hubspotProperty: 'email',
        missing: ['edit'],
      },
      {
        name: 'Lead.Email',
        required: ['read', 'edit'],
        effective: { read: true, edit: true },
        grantedBy: ['Permission set: HubSpot Integration Permissions'],
      },
    ],
    limits: [{ name: 'DailyApiRequests', used: 12000, max: 15000, ratio: 0.8 }],
  };
}

/**
 * A relayed status record as the relay writes it: portal 4411223 suspended by an e-mail for
 * missing object permissions on 28 Nov 2026, nothing else known; each test overrides what it is about.
 */
export function relayedStatus(overrides: Partial<RelayedStatus> = {}): RelayedStatus {
  return {
    portalId: '4411223',
    state: 'suspended',
    reason: 'OBJECT_PERMISSIONS_MISSING',
    title: null,
    since: '2026-11-28T08:00:00.000Z',
    lastSeenAt: null,
    clearedAt: null,
    source: 'email',
    excerpt: null,
    history: [],
    ...overrides,
  };
}

/** An export of four groups: a field HubSpot could not write, two picklists, a validation rule. */
export const KINDS_OF_SYNC_ERRORS: RelayedSyncErrors = {
  receivedAt: '2026-11-28T09:00:00.000Z',
  rows: 330,
  groups: [
    {
      reason: 'FIELD_PERMISSIONS_MISSING',
      errorType: 'Salesforce field permission',
      object: 'Contact',
      field: 'Score__c',
      count: 300,
      example: 'Unable to update field',
    },
    {
      reason: null,
      errorType: 'Picklist value',
      object: 'Lead',
      field: 'Status',
      count: 20,
      example: 'bad value for restricted picklist field: Warm',
    },
    {
      reason: null,
      errorType: 'Picklist value',
      object: 'Contact',
      field: 'LeadSource',
      count: 6,
      example: 'bad value for restricted picklist field: Webinar',
    },
    {
      reason: null,
      errorType: 'Custom code',
      object: 'Contact',
      field: null,
      count: 4,
      example: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone is required',
    },
  ],
  groupsLeftOut: 0,
};
