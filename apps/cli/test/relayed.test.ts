/**
 * The "HubSpot reported" section's step marks, rendered from the core's step check: every state the
 * core gives a step has its own mark, as the app's suspension panel badges it.
 */
import {
  RULES,
  nothingRelayedText,
  relayedReasonTitle,
  syncErrorsView,
  type Diagnosis,
} from '@sync-doctor/core';
import {
  chooseRelayed,
  relayedJson,
  renderRelayed,
  type SyncErrorGroupJson,
} from '../src/render/relayed.js';
import { createStyle } from '../src/render/style.js';
import { KINDS_OF_SYNC_ERRORS, readOnlyContactsDiagnosis, relayedStatus } from './support.js';

const plain = createStyle(false);

const status = relayedStatus({ reason: 'HUBSPOT_API_LIMIT_EXCEEDED' });

describe('renderRelayed: step marks', () => {
  it('marks "Nothing is required" as nothing to do, not as a step Sync Doctor could not check', () => {
    const view = chooseRelayed(
      { records: [{ status, updatedAt: '2026-11-28T09:00:00.000Z' }] },
      readOnlyContactsDiagnosis(),
    );
    expect(view.check!.steps[0]!.outcome).toBe('nothing-to-do');
    const out = renderRelayed(view, plain, 100);
    const steps = out.slice(out.indexOf('What to do, checked against'));
    expect(steps).toMatch(/ {2}1\. \[nothing to do\] /);
    // The other step is HubSpot's setting, which Sync Doctor cannot see: still unseen.
    expect(steps).toMatch(/ {2}2\. \[not checked\] /);
    // The step's text lines up under its own mark.
    const lines = steps.split('\n');
    const first = lines.findIndex((l) => l.startsWith('  1. '));
    const evidence = lines.slice(first + 1).find((l) => l.includes('Sync Doctor: '))!;
    expect(evidence.length - evidence.trimStart().length).toBe(lines[first]!.indexOf('] ') + 2);
  });

  it('marks the step at risk, not "not the cause now", when the diagnosis warns of the reason', () => {
    // 96.5% of the org's calls used and a warning of API_LIMIT_EXCEEDED: the risk is the point.
    const diagnosis = readOnlyContactsDiagnosis();
    diagnosis.verdict = 'at-risk';
    diagnosis.findings = diagnosis.findings
      .filter((f) => f.severity !== 'error')
      .map((f) => ({ ...f, rule: RULES.apiLimit }));
    diagnosis.limits = [{ name: 'DailyApiRequests', used: 96_500, max: 100_000, ratio: 0.965 }];
    const view = chooseRelayed(
      {
        records: [
          {
            status: { ...status, reason: 'API_LIMIT_EXCEEDED' },
            updatedAt: '2026-11-28T09:00:00Z',
          },
        ],
      },
      diagnosis,
    );
    const out = renderRelayed(view, plain, 100);
    const steps = out.slice(out.indexOf('What to do, checked against'));
    expect(steps).toMatch(/ {2}1\. \[at risk\] /);
    expect(steps).not.toContain('not the cause now');
  });
});

describe('renderRelayed: wording', () => {
  const viewOf = (s: typeof status) =>
    chooseRelayed(
      { records: [{ status: s, updatedAt: '2026-11-28T09:00:00.000Z' }] },
      readOnlyContactsDiagnosis(),
    );

  it("names a known reason by the catalog's English title, not HubSpot's Danish one", () => {
    const out = renderRelayed(
      viewOf(relayedStatus({ reason: 'UNKNOWN_ERROR', title: 'Ukendt fejl' })),
      plain,
      100,
    );
    expect(out).toContain('SUSPENDED  Unknown error  UNKNOWN_ERROR');
    // A translation of the catalog's title adds nothing.
    expect(out).not.toContain('Ukendt fejl');
  });

  it("keeps HubSpot's title beside the catalog's when it says something else", () => {
    const out = renderRelayed(
      viewOf(relayedStatus({ reason: 'UNKNOWN_ERROR', title: 'Salesforce returned HTTP 500' })),
      plain,
      100,
    );
    expect(out).toContain(
      "SUSPENDED  Unknown error  UNKNOWN_ERROR  (HubSpot's words: Salesforce returned HTTP 500)",
    );
  });

  it("names an unknown reason by HubSpot's title, else as unrecognised, as the app does", () => {
    const own = renderRelayed(
      viewOf(relayedStatus({ reason: null, title: 'Noget nyt' })),
      plain,
      100,
    );
    expect(own).toContain('SUSPENDED  Noget nyt');
    const none = renderRelayed(viewOf(relayedStatus({ reason: null, title: null })), plain, 100);
    expect(none).toContain('SUSPENDED  Unrecognised suspension reason');
  });

  it.each(['constructor', '__proto__'])(
    "reads a forged record's reason '%s' as an unrecognised one, with no step check",
    (code) => {
      const view = viewOf(relayedStatus({ reason: code as never, title: null }));
      expect(view.check).toBeNull();
      const out = renderRelayed(view, plain, 100);
      expect(out).toContain('SUSPENDED  Unrecognised suspension reason');
      expect(out).not.toContain('undefined');
    },
  );

  it("titles the reason by the core's rule, which the app's panel and the copied report use too", () => {
    for (const [reason, title] of [
      ['UNKNOWN_ERROR', 'Ukendt fejl'],
      ['UNKNOWN_ERROR', ' Salesforce returned HTTP 500 '],
      [null, '  Noget nyt  '],
      [null, null],
    ] as const) {
      const s = relayedStatus({ reason, title });
      const out = renderRelayed(viewOf(s), plain, 200);
      const core = relayedReasonTitle(s);
      expect(out).toContain(`SUSPENDED  ${core.title}${reason ? `  ${reason}` : ''}`);
      if (core.hubspotWords) expect(out).toContain(`(HubSpot's words: ${core.hubspotWords})`);
      else expect(out).not.toContain("HubSpot's words");
    }
    // A clearing that names no reason has no title: not "CLEARED  Unrecognised suspension reason".
    const cleared = renderRelayed(
      viewOf(relayedStatus({ state: 'cleared', reason: null, title: null })),
      plain,
      200,
    );
    expect(cleared).toMatch(/^ {2}CLEARED$/m);
    expect(cleared).not.toContain('Unrecognised');
  });

  it('says without jargon that nothing was relayed, and where to look instead', () => {
    for (const portal of ['4411223', undefined]) {
      const view = chooseRelayed({ records: [] }, readOnlyContactsDiagnosis(), portal);
      const out = renderRelayed(view, plain, 100).replace(/\s+/g, ' ');
      expect(out).toContain(
        portal
          ? 'No suspension has been relayed for portal 4411223.'
          : 'No suspension has been relayed for any HubSpot portal.',
      );
      expect(out).toContain(
        "Sync Doctor hears of HubSpot's suspensions only through its relay; if the relay is not set up, HubSpot's Salesforce integration settings show whether the sync is suspended.",
      );
      expect(out).not.toContain('HubSpot_Sync_Status__c');
      expect(out).not.toContain('No relayed status');
      // The core's sentence, word for word: the app's panel says the same.
      expect(view.source).toBe(nothingRelayedText(portal));
    }
  });

  it('says what to do when the object cannot be read', () => {
    for (const cause of ['absent', 'no-access', 'error'] as const) {
      const view = chooseRelayed(
        { records: [], unavailable: { cause, errorCode: 'INVALID_TYPE', message: 'x' } },
        readOnlyContactsDiagnosis(),
      );
      const out = renderRelayed(view, plain, 100).replace(/\s+/g, ' ');
      expect(out).toContain('No relayed status: ');
      expect(out).toContain(
        "HubSpot's Salesforce integration settings show whether the sync is suspended.",
      );
    }
  });
});

describe("chooseRelayed: asks the core with HubSpot's words and the diagnosis", () => {
  it("marks the field step done when HubSpot's message names a field Sync Doctor checked and it passes", () => {
    const diagnosis = readOnlyContactsDiagnosis();
    diagnosis.verdict = 'healthy';
    diagnosis.findings = [];
    diagnosis.objects = diagnosis.objects.map((o) => ({
      ...o,
      effective: { ...o.effective, edit: true },
    }));
    diagnosis.fields = diagnosis.fields.filter((f) => f.name === 'Lead.Email');
    diagnosis.limits = [];
    const view = chooseRelayed(
      {
        records: [
          {
            status: relayedStatus({
              reason: 'FIELD_PERMISSIONS_MISSING',
              excerpt:
                'Give the integration user read and edit access to the field lead.email (field-level security)',
            }),
            updatedAt: '2026-11-28T09:00:00.000Z',
          },
        ],
      },
      diagnosis,
    );
    // Without HubSpot's words the core cannot tell the field was one it checks: "check in HubSpot".
    expect(view.check!.steps[0]!.status).toBe('done');
    expect(view.check!.steps[0]!.evidence).toContain("HubSpot's message names Lead.Email");
  });

  it('says the relay cannot write the status record when the diagnosis finds data storage full', () => {
    const diagnosis = readOnlyContactsDiagnosis();
    diagnosis.findings.push({
      reason: 'STORAGE_LIMIT_EXCEEDED',
      severity: 'error',
      subject: 'DataStorageMB',
      message: "The org's data storage is full.",
      remedy: 'Free data storage.',
      rule: RULES.storageLimit,
    });
    const view = chooseRelayed({ records: [] }, diagnosis, '4411223');
    expect(view.source).toBe(nothingRelayedText('4411223', diagnosis));
    expect(view.source).toContain("the org's data storage is full");
  });
});

describe('renderRelayed: sync errors', () => {
  const view = chooseRelayed(
    {
      records: [
        {
          status: relayedStatus({
            reason: 'FIELD_PERMISSIONS_MISSING',
            syncErrors: KINDS_OF_SYNC_ERRORS,
          }),
          updatedAt: '2026-11-28T09:00:00.000Z',
        },
      ],
    },
    readOnlyContactsDiagnosis(),
  );

  it("says each group's kind and what to do under it, once per piece of advice, then Resync", () => {
    const errors = syncErrorsView(view.status!)!;
    const out = renderRelayed(view, plain, 100);
    const part = out.slice(out.indexOf(errors.heading.slice(0, 30)));
    const flat = part.replace(/\s+/g, ' ');
    const texts = errors.lines.map((l) => l.text);
    // Under its line, six spaces in: the label, then the advice naming the group's field.
    expect(part).toContain(
      `    ${texts[0]}\n      Field permission: Give the integration user read and edit access to`,
    );
    expect(flat).toContain(
      'Field permission: Give the integration user read and edit access to Contact.Score__c or Lead.Score__c (field-level security).',
    );
    expect(part).toContain(`    ${texts[1]}\n      Picklist value: HubSpot sent a value`);
    // The second picklist group's advice is the first's: said once.
    expect(part.split('Picklist value: ').length).toBe(2);
    expect(part).toContain(`    ${texts[2]}\n    ${texts[3]}\n      Custom code in Salesforce: `);
    for (const line of errors.lines)
      if (line.advice) expect(flat).toContain(`${line.label}: ${line.advice}`);
    // Resync last, said once after the groups.
    expect(errors.resync).toBeTruthy();
    expect(part.trimEnd().endsWith(`  ${errors.resync!}`)).toBe(true);
    expect(part.indexOf(errors.resync!)).toBeGreaterThan(part.indexOf(errors.checks!));
  });

  it('bolds the label in colour, and wraps the advice within the width', () => {
    const out = renderRelayed(view, createStyle(true), 60);
    expect(out).toContain('\u001b[1mField permission\u001b[22m: Give');
    const advice = out
      .split('\n')
      .filter((l) => l.startsWith('      ') && !l.startsWith('       '));
    expect(advice.length).toBeGreaterThan(3);
    for (const line of renderRelayed(view, plain, 60).split('\n'))
      expect(line.length).toBeLessThanOrEqual(60);
  });

  /** The diagnosis with Contact.Score__c judged: read only, or read and edit. */
  const scoreJudged = (edit: boolean): Diagnosis => {
    const d = readOnlyContactsDiagnosis();
    return {
      ...d,
      fields: [
        ...d.fields,
        {
          name: 'Contact.Score__c',
          required: ['read', 'edit'],
          effective: { read: true, edit },
          grantedBy: [],
        },
      ],
    };
  };

  it("says under the advice what the diagnosis finds now of the group's field", () => {
    const diagnosis = scoreJudged(false);
    const errors = syncErrorsView(view.status!, { diagnosis })!;
    const [field] = errors.lines;
    expect(field!.now).toEqual({
      ok: false,
      text: 'Now: the integration user still lacks edit on Contact.Score__c.',
    });
    const out = renderRelayed(view, plain, 200, diagnosis);
    // Six spaces in, right after the advice (however it wraps), as --report says it four in.
    const lines = out.split('\n');
    const at = lines.indexOf(
      '      Now: the integration user still lacks edit on Contact.Score__c.',
    );
    expect(at).toBeGreaterThan(0);
    const before = lines.slice(0, at).join(' ').replace(/\s+/g, ' ');
    expect(before.endsWith(`Field permission: ${field!.advice!}`.replace(/\s+/g, ' '))).toBe(true);
    expect(lines[at + 1]).toBe(`    ${errors.lines[1]!.text}`);
    // Said once: only the field-permission group is settled by a right.
    expect(out.split('Now:').length).toBe(2);
    // Without the diagnosis, or with one that did not judge the field, nothing is said of it.
    expect(renderRelayed(view, plain, 200)).not.toContain('Now:');
    expect(renderRelayed(view, plain, 200, readOnlyContactsDiagnosis())).not.toContain('Now:');
  });

  it('colours the Now line: yellow while a right is missing, green when a resync is enough', () => {
    const colour = createStyle(true);
    const missing = renderRelayed(view, colour, 200, scoreJudged(false));
    expect(missing).toContain(
      '      \u001b[33mNow: the integration user still lacks edit on Contact.Score__c.\u001b[39m',
    );
    const fixed = renderRelayed(view, colour, 200, scoreJudged(true));
    expect(fixed).toContain(
      '      \u001b[32mNow: the integration user can read and edit Contact.Score__c; resync these records.\u001b[39m',
    );
    // NO_COLOR (a plain style): the same words, no codes.
    const plainFixed = renderRelayed(view, plain, 200, scoreJudged(true));
    expect(plainFixed).toContain(
      '      Now: the integration user can read and edit Contact.Score__c; resync these records.',
    );
    expect(plainFixed).not.toContain('\u001b[');
    // Wrapped within the width, each wrapped line coloured.
    for (const line of renderRelayed(view, plain, 60, scoreJudged(false)).split('\n'))
      expect(line.length).toBeLessThanOrEqual(60);
  });

  it('no sync errors, no Resync sentence', () => {
    const none = chooseRelayed(
      { records: [{ status: relayedStatus(), updatedAt: null }] },
      readOnlyContactsDiagnosis(),
    );
    expect(renderRelayed(none, plain, 100)).not.toContain('Resync');
  });
});

describe('relayedJson: the sync errors as --json carries them', () => {
  const view = chooseRelayed(
    {
      records: [
        {
          status: relayedStatus({
            reason: 'FIELD_PERMISSIONS_MISSING',
            syncErrors: JSON.stringify({
              ...KINDS_OF_SYNC_ERRORS,
              groups: [
                ...KINDS_OF_SYNC_ERRORS.groups,
                {
                  reason: 'OBJECT_PERMISSIONS_MISSING',
                  errorType: 'Object permission',
                  object: 'deal',
                  field: null,
                  count: 2,
                  example: null,
                },
              ],
            }),
          }),
          updatedAt: null,
        },
      ],
    },
    readOnlyContactsDiagnosis(),
  );

  it("keeps each group's keys and adds the core's kind, label, advice, fields and objects", () => {
    const syncErrors = relayedJson(view, readOnlyContactsDiagnosis()).status!
      .syncErrors as unknown as {
      groups: SyncErrorGroupJson[];
    };
    const { groups } = syncErrors;
    expect(groups.map((g) => g.kind)).toEqual([
      'field-permission',
      'picklist',
      'picklist',
      'custom-code',
      'object-permission',
    ]);
    expect(groups[0]).toMatchObject({
      ...KINDS_OF_SYNC_ERRORS.groups[0],
      label: 'Field permission',
      fields: ['Contact.Score__c', 'Lead.Score__c'],
      objects: [],
    });
    // Each group's own advice, the repeat too: the text output says it once, a pipeline per group.
    expect(groups[2]!.advice).toBe(groups[1]!.advice);
    expect(typeof groups[2]!.advice).toBe('string');
    expect(groups[1]!.fields).toEqual(['Lead.Status']);
    expect(groups[4]).toMatchObject({ fields: [], objects: ['Opportunity'] });
    expect(groups[4]!.advice).toContain('Opportunity');
    // The diagnosis judged none of their fields or objects: nothing said now, as null.
    expect(groups.map((g) => g.now)).toEqual([null, null, null, null, null]);
  });

  it("adds what the diagnosis finds now of each group's field or objects", () => {
    const d = readOnlyContactsDiagnosis();
    const diagnosis: Diagnosis = {
      ...d,
      objects: [
        ...d.objects,
        {
          name: 'Opportunity',
          required: ['read', 'edit'],
          effective: {
            read: true,
            create: true,
            edit: true,
            delete: false,
            viewAll: false,
            modifyAll: false,
          },
          grantedBy: [],
        },
      ],
      fields: [
        ...d.fields,
        {
          name: 'Contact.Score__c',
          required: ['read', 'edit'],
          effective: { read: false, edit: false },
          grantedBy: [],
        },
      ],
    };
    const { groups } = relayedJson(view, diagnosis).status!.syncErrors as unknown as {
      groups: SyncErrorGroupJson[];
    };
    expect(groups[0]!.now).toEqual({
      ok: false,
      text: 'Now: the integration user still lacks read and edit on Contact.Score__c.',
    });
    // A picklist or custom code: no right settles it.
    expect(groups.slice(1, 4).map((g) => g.now)).toEqual([null, null, null]);
    expect(groups[4]!.now).toEqual({
      ok: true,
      text: 'Now: read and edit on Opportunity are there; resync these records.',
    });
    // The same words the text output says under the group.
    expect(syncErrorsView(view.status!, { diagnosis })!.lines[0]!.now).toEqual(groups[0]!.now);
  });

  it('a converted lead (no reason placed it) is about its object in --json as in the text', () => {
    const converted = chooseRelayed(
      {
        records: [
          {
            status: relayedStatus({
              reason: 'OBJECT_PERMISSIONS_MISSING',
              syncErrors: JSON.stringify({
                ...KINDS_OF_SYNC_ERRORS,
                groups: [
                  {
                    reason: null,
                    errorType: 'Converted lead',
                    object: 'Lead',
                    field: null,
                    count: 1,
                    example: 'CANNOT_UPDATE_CONVERTED_LEAD: cannot reference converted lead',
                  },
                ],
              }),
            }),
            updatedAt: null,
          },
        ],
      },
      readOnlyContactsDiagnosis(),
    );
    const diagnosis = readOnlyContactsDiagnosis();
    const [group] = (
      relayedJson(converted, diagnosis).status!.syncErrors as unknown as {
        groups: SyncErrorGroupJson[];
      }
    ).groups;
    const [line] = syncErrorsView(converted.status!, { diagnosis })!.lines;
    expect(group).toMatchObject({ kind: 'record-access', objects: ['Lead'] });
    expect(group!.objects).toEqual(line!.objects);
    expect(group!.now).toEqual(line!.now);
  });

  it('leaves the view as it was: no status, no sync errors, a damaged one', () => {
    const none = { ...view, status: null };
    expect(relayedJson(none, readOnlyContactsDiagnosis())).toBe(none);
    const damaged = { ...view, status: { ...view.status!, syncErrors: null } };
    expect(relayedJson(damaged, readOnlyContactsDiagnosis())).toBe(damaged);
    // The view the text output renders is not changed.
    expect(view.status!.syncErrors).not.toHaveProperty('groups.0.kind');
  });
});

describe('relayedJson: an export from before the suspension was cleared', () => {
  it('says nothing of it now, as the text says it checks nothing it names', () => {
    const owner = {
      reason: null,
      errorType: 'Inactive owner',
      object: 'contact',
      field: null,
      count: 2,
      example:
        'INACTIVE_OWNER_OR_USER: operation performed with inactive user [0055g00000AbCdEAAZ] as owner of contact',
    };
    const diagnosis: Diagnosis = {
      ...readOnlyContactsDiagnosis(),
      sideGrants: [
        {
          kind: 'systemPermission',
          name: 'PermissionsUpdateWithInactiveOwner',
          by: [],
          granted: false,
        },
      ],
    };
    const records = (state: 'suspended' | 'cleared') => ({
      records: [
        {
          status: relayedStatus({
            state,
            clearedAt: state === 'cleared' ? '2026-11-28T10:00:00.000Z' : null,
            syncErrors: JSON.stringify({
              receivedAt: '2026-11-28T09:00:00.000Z',
              rows: 2,
              groupsLeftOut: 0,
              groups: [owner],
            }),
          }),
          updatedAt: null,
        },
      ],
    });
    const nowOf = (state: 'suspended' | 'cleared') =>
      (
        relayedJson(chooseRelayed(records(state), diagnosis), diagnosis).status!
          .syncErrors as unknown as { groups: SyncErrorGroupJson[] }
      ).groups[0]!.now;
    expect(nowOf('suspended')).toEqual({
      ok: false,
      text: 'Now: the integration user lacks "Update Records with Inactive Owners".',
    });
    expect(nowOf('cleared')).toBeNull();
  });
});
