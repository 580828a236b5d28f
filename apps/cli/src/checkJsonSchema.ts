import { FROZEN_READ_CAUSES, SYNC_ERROR_KINDS, UNCHECKED_CHECKS } from '@sync-doctor/core';

/**
 * Why the check exits as it does (stable words, listed in the JSON Schema; commands/check/exit.ts
 * decides). Here, not there, so the schema does not load the command (io.ts loads the schema):
 * - `healthy`: 0, every check made, nothing at or above --fail-on, no suspension relayed;
 * - `unchecked-allowed`: 0, as `healthy` but some checks not made, accepted with --allow-unchecked;
 * - `findings`: 1, a finding at or above --fail-on;
 * - `suspended`: 1, HubSpot reports the sync suspended (or the relay suspects it), whatever the
 *   findings (the sync is stopped until it is lifted, as its reason says);
 * - `unchecked`: 3, nothing fails but some checks could not be made: the run cannot vouch for the org.
 */
export const EXIT_REASONS = [
  'healthy',
  'unchecked-allowed',
  'findings',
  'suspended',
  'unchecked',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/**
 * What `sync-doctor check --json` prints, as a JSON Schema (draft-07) a pipeline can pin: every
 * document carries `schemaVersion`, either the diagnosis or `{ "error": ... }`.
 *
 * The contract: within one schemaVersion keys are only added (every object here allows more keys
 * than it lists), so a pipeline that reads the keys listed keeps working. Removing a listed key,
 * changing its type or its meaning, or a value outside a listed enum takes a new schemaVersion.
 * `sync-doctor check --json-schema` prints this schema; a test checks it against the output of
 * every demo fixture and of the failures.
 */
export const CHECK_JSON_SCHEMA_VERSION = 1;

const string = { type: 'string' } as const;
const strings = { type: 'array', items: string } as const;
const nullableString = { type: ['string', 'null'] } as const;

/**
 * HubSpot's exported sync errors as the relay summarised them (Sync_Errors__c, parsed), or null
 * when none were uploaded or the field held no summary. Each group keeps the relay's keys, and
 * (added within schemaVersion 1) the core's words for it: kind, label, advice, fields, objects, and
 * what the diagnosis finds now of its fields or objects (now).
 */
const SYNC_ERRORS = {
  oneOf: [
    { type: 'null' },
    {
      type: 'object',
      required: ['receivedAt', 'rows', 'groups', 'groupsLeftOut'],
      properties: {
        receivedAt: string,
        rows: { type: 'integer', minimum: 0 },
        groups: {
          type: 'array',
          items: {
            type: 'object',
            required: ['reason', 'errorType', 'object', 'field', 'count', 'example'],
            properties: {
              reason: nullableString,
              errorType: string,
              object: nullableString,
              field: nullableString,
              count: { type: 'integer', minimum: 0 },
              example: nullableString,
              // Added within schemaVersion 1: the core's reading of the group.
              // The core's kinds in a description, not an enum: the core may add one within
              // schemaVersion 1, and a value outside a listed enum would take a new version.
              kind: {
                ...string,
                description: `What kind of error the group is; today one of ${SYNC_ERROR_KINDS.join(', ')} (more may be added)`,
              },
              label: {
                ...string,
                description: "The kind's short name ('Custom code in Salesforce')",
              },
              advice: {
                ...string,
                description:
                  "What to do about the group, naming its Salesforce field or objects where it names them (each group's own, even when another group's is the same)",
              },
              fields: {
                ...strings,
                description:
                  "The Salesforce 'Object.Field' names the group names (every candidate: HubSpot's contact is a Contact or a Lead)",
              },
              objects: {
                ...strings,
                description:
                  'The Salesforce objects an object-permission group names; [] otherwise',
              },
              // Added within schemaVersion 1: what the relay found when it carried the export.
              validationRules: {
                description:
                  "A custom-code group's: the org's active validation rules that sent its message, as the relay read them when it carried the export ([] for none); absent when not read",
                type: 'array',
                items: {
                  type: 'object',
                  required: ['object', 'name'],
                  properties: { object: string, name: string },
                },
              },
              now: {
                description:
                  'What this diagnosis finds now of the group\'s fields or objects (an inactive-owner group: whether the integration user has "Update Records with Inactive Owners", or the org does not offer it; a custom-code group: the active validation rule that sends its message, read now, else as the relay found it; a group a duplicate rule refused: the active duplicate rules on its objects that block or alert, ok when none does): ok when the rights are there (its records need only a resync), else the right still missing or the sharing that hides the records; null for kinds no right settles, or when none of them was judged',
                oneOf: [
                  { type: 'null' },
                  {
                    type: 'object',
                    required: ['ok', 'text'],
                    properties: { ok: { type: 'boolean' }, text: string },
                  },
                ],
              },
            },
          },
        },
        groupsLeftOut: { type: 'integer', minimum: 0 },
        /** Of those, field-permission groups: fields HubSpot failed on that were not checked. */
        fieldGroupsLeftOut: { type: 'integer', minimum: 0 },
      },
    },
  ],
} as const;

/** `{ read: true, ... }`, or `{ read: false, cause, message, errorCode? }`, or null (not asked). */
function readState(causes: string[]) {
  return {
    oneOf: [
      { type: 'null' },
      {
        type: 'object',
        required: ['read'],
        properties: { read: { const: true } },
      },
      {
        type: 'object',
        required: ['read', 'cause', 'message'],
        properties: {
          read: { const: false },
          cause: { enum: [...new Set([...causes, 'error'])] },
          errorCode: string,
          message: string,
        },
      },
    ],
  };
}

/**
 * The rows of `objects` or `fields`: each its name, the rights it needs, the `rights` it has (each
 * true or false) and what grants them, then the keys of `more` in that order.
 */
function accessRows(rights: string[], more: Record<string, unknown>) {
  return {
    type: 'array',
    items: {
      type: 'object',
      required: ['name', 'required', 'effective', 'grantedBy'],
      properties: {
        name: string,
        required: strings,
        effective: {
          type: 'object',
          required: rights,
          // Each right named, so strict validators (ajv's strictRequired) accept the `required`.
          properties: Object.fromEntries(rights.map((right) => [right, { type: 'boolean' }])),
          additionalProperties: { type: 'boolean' },
        },
        grantedBy: strings,
        ...more,
      },
    },
  };
}

const finding = {
  type: 'object',
  required: ['reason', 'severity', 'subject', 'message', 'remedy'],
  properties: {
    reason: { ...string, description: "HubSpot's suspension reason code the finding leads to" },
    symptom: string,
    severity: { enum: ['error', 'warning', 'info'] },
    subject: string,
    message: string,
    remedy: string,
    rule: string,
  },
};

/** A system permission, permission set or connected app the diagnosis judged, and what grants it. */
const grant = {
  type: 'object',
  required: ['kind', 'name', 'by'],
  properties: {
    kind: { enum: ['systemPermission', 'permissionSet', 'connectedApp'] },
    name: string,
    granted: { type: 'boolean' },
    by: strings,
  },
} as const;

export const CHECK_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `urn:sync-doctor:check-json:${CHECK_JSON_SCHEMA_VERSION}`,
  title: 'sync-doctor check --json',
  description:
    'The diagnosis of the HubSpot integration user (exit 0, 1 or 3, said by its `exit`), or { "error": ... } when the check could not run (exit 2, 75, 129, 130, 143).',
  oneOf: [{ $ref: '#/definitions/diagnosis' }, { $ref: '#/definitions/failure' }],
  definitions: {
    finding,
    diagnosis: {
      type: 'object',
      required: [
        'schemaVersion',
        'verdict',
        'findings',
        'objects',
        'fields',
        'limits',
        'hubspotReported',
        'frozen',
        'loginHistory',
        'connectedApps',
      ],
      properties: {
        schemaVersion: { const: CHECK_JSON_SCHEMA_VERSION },
        verdict: { enum: ['healthy', 'at-risk', 'blocked'] },
        user: {
          type: 'object',
          required: ['id', 'username', 'isActive'],
          properties: { id: string, username: string, isActive: { type: 'boolean' } },
        },
        judgedAt: string,
        findings: { type: 'array', items: { $ref: '#/definitions/finding' } },
        objects: accessRows(['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'], {
          reachedBy: strings,
          missing: strings,
          rule: string,
          note: string,
          exists: { type: 'boolean' },
        }),
        fields: accessRows(['read', 'edit'], {
          note: string,
          missing: strings,
          hubspotProperty: string,
          exists: { type: 'boolean' },
        }),
        limits: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'used', 'max', 'ratio'],
            properties: {
              name: string,
              used: { type: 'number' },
              max: { type: 'number' },
              ratio: { type: 'number' },
            },
          },
        },
        grants: { type: 'array', items: grant },
        // Added within schemaVersion 1 (optional: absent from older CLIs and when the permission
        // sets were not read): the core's sideGrants.
        sideGrants: {
          description:
            'System permissions read to answer HubSpot\'s sync errors, never required of the integration user and never a finding: today "Update Records with Inactive Owners" (PermissionsUpdateWithInactiveOwner), for an inactive-owner group. `granted` is absent when it was not read; `absent: true` when the org has no such permission (its User Interface setting off, or the edition lacks it).',
          type: 'array',
          items: {
            ...grant,
            properties: { ...grant.properties, absent: { const: true } },
          },
        },
        // Added within schemaVersion 1: absent when not read.
        validationRules: {
          description:
            "The org's active validation rules, read (Tooling API) only when HubSpot's sync errors hold a custom-code group, to name the rule behind its message; absent when not read",
          type: 'array',
          items: {
            type: 'object',
            required: ['object', 'name', 'message'],
            properties: { object: string, name: string, message: string, field: string },
          },
        },
        // Added within schemaVersion 1: absent when not read.
        duplicateRules: {
          description:
            "The active duplicate rules of the objects a duplicate-rule sync error group names (User Interface API), read only then, each with what it does to an API create and edit: 'block', 'alert' (refused unless the write asks to save anyway), null, or 'unread' when Salesforce's answer gave none; absent when not read",
          type: 'array',
          items: {
            type: 'object',
            required: ['object', 'rules'],
            properties: {
              object: string,
              rules: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'onCreate', 'onEdit'],
                  properties: {
                    name: string,
                    onCreate: { enum: ['block', 'alert', 'unread', null] },
                    onEdit: { enum: ['block', 'alert', 'unread', null] },
                    conditions: {
                      description:
                        'true when the rule has conditions (not read): it refuses only the records they match; absent when it has none',
                      const: true,
                    },
                  },
                },
              },
            },
          },
        },
        // Added within schemaVersion 1: absent when not read.
        recordTypePicklists: {
          description:
            "The active record types of a picklist sync error group's objects, each with the values it offers for the objects' picklists (keyed by the field's API name in lower case), read (User Interface API) only when such a group is shown; an object without record types has none; absent when not read",
          type: 'array',
          items: {
            type: 'object',
            required: ['object', 'recordTypes'],
            properties: {
              object: string,
              recordTypes: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'values'],
                  properties: {
                    name: string,
                    values: {
                      type: 'object',
                      additionalProperties: { type: 'array', items: string },
                    },
                  },
                },
              },
            },
          },
        },
        // Added within schemaVersion 1: absent when every check was made. `verdict` keeps its
        // meaning (from the findings); with `unchecked` a "healthy" is partly checked, no all-clear.
        unchecked: {
          description:
            'The checks the diagnosis could not make because the reader could not read that part of the org (the frozen state, Login History, HubSpot\'s connected app); absent when all were made. `verdict` is judged from the findings alone: "healthy" with `unchecked` means no problem in what was read.',
          type: 'array',
          items: {
            type: 'object',
            required: ['check', 'label', 'line', 'byHand', 'needs'],
            properties: {
              check: { enum: [...UNCHECKED_CHECKS] },
              label: string,
              line: string,
              byHand: string,
              needs: {
                type: 'string',
                description:
                  'The permissions an admin needs for Sync Doctor to make the check; empty when no permission would help (the frozen state when Salesforce has no UserLogin row for the user, or refused the query to an admin holding Manage Users): check it by hand.',
              },
            },
          },
        },
        logins: {
          type: 'object',
          required: ['days', 'attempts', 'lastSuccessAt', 'failingSince', 'failures'],
          properties: {
            days: { type: 'number' },
            attempts: { type: 'number' },
            lastSuccessAt: nullableString,
            failingSince: nullableString,
            failures: { type: 'array' },
          },
        },
        hubspotReported: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['status', 'updatedAt', 'source', 'otherPortals', 'check'],
              properties: {
                status: {
                  oneOf: [
                    { type: 'null' },
                    {
                      type: 'object',
                      required: ['portalId', 'state', 'reason'],
                      properties: {
                        portalId: string,
                        state: string,
                        reason: nullableString,
                        since: nullableString,
                        // Added within schemaVersion 1: absent from an older relay's record.
                        syncErrors: SYNC_ERRORS,
                      },
                    },
                  ],
                },
                updatedAt: nullableString,
                source: string,
                otherPortals: strings,
                // Added within schemaVersion 1.
                rulesNotRead: {
                  ...strings,
                  description:
                    "Set when the sync errors hold a custom-code, duplicate-rule or picklist group and the org's validation rules (Tooling API), duplicate rules or record types' picklist values (User Interface API) could not be read: a line per kind saying why, and one per record type Salesforce did not answer for; those groups' `now` then names no rule, or keeps its record-type caveat",
                },
                unavailable: {
                  type: 'object',
                  description:
                    'Why HubSpot_Sync_Status__c could not be read: whether the sync is suspended is then not checked (exit 3 unless --allow-unchecked)',
                  required: ['cause', 'errorCode', 'message'],
                  properties: {
                    cause: { enum: ['absent', 'no-access', 'error'] },
                    errorCode: string,
                    message: string,
                  },
                },
                check: {
                  oneOf: [
                    { type: 'null' },
                    {
                      type: 'object',
                      required: ['reason', 'steps', 'agreement', 'summary'],
                      properties: {
                        reason: string,
                        steps: {
                          type: 'array',
                          items: {
                            type: 'object',
                            required: ['status', 'evidence'],
                            properties: {
                              status: { enum: ['done', 'todo', 'unknown'] },
                              evidence: string,
                            },
                          },
                        },
                        agreement: string,
                        summary: string,
                      },
                    },
                  ],
                },
              },
            },
          ],
        },
        // Added within schemaVersion 1 (an optional key: a pipeline pinned to the schema before it
        // keeps validating): the exit code of this run and why. Absent from documents of older
        // CLIs, whose exit code followed the findings alone.
        exit: {
          description:
            'The exit code of this run and why: healthy (0), unchecked-allowed (0, with --allow-unchecked), findings (1, a finding at or above --fail-on), suspended (1, HubSpot reports the sync suspended or the relay suspects it), unchecked (3, nothing fails but not every check could be made).',
          type: 'object',
          required: ['code', 'reason', 'message'],
          properties: {
            code: { enum: [0, 1, 3] },
            reason: { enum: [...EXIT_REASONS] },
            message: string,
          },
        },
        // The core's causes, which the Apex reader's frozenRead shares (a contract test holds them).
        frozen: readState([...FROZEN_READ_CAUSES]),
        loginHistory: readState(['needs-manage-users']),
        connectedApps: readState(['needs-permissions']),
      },
    },
    failure: {
      type: 'object',
      required: ['schemaVersion', 'error'],
      properties: {
        schemaVersion: { const: CHECK_JSON_SCHEMA_VERSION },
        error: {
          type: 'object',
          required: ['errorCode', 'message', 'retryable'],
          properties: {
            errorCode: {
              ...string,
              description:
                'BAD_USAGE, BAD_INPUT, JUNIT_NOT_WRITTEN, TIMED_OUT, INTERRUPTED, INTEGRATION_USER_NOT_FOUND, INTEGRATION_USER_AMBIGUOUS, SYNC_DOCTOR_LOGIN_FAILED, SYNC_DOCTOR_ACCESS_DENIED, UNEXPECTED_FAILURE, or the Salesforce or network error code',
            },
            message: string,
            retryable: {
              type: 'boolean',
              description: 'true exactly when the exit code is 75, 129, 130 or 143',
            },
            reason: { ...string, description: "HubSpot's suspension reason this error means" },
            salesforceErrorCode: string,
            statusCode: { type: 'number' },
            signal: string,
            candidates: { type: 'array' },
          },
        },
      },
    },
  },
} as const;
