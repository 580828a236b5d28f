import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RULES,
  checkSuspensionSteps,
  syncErrorsView,
  type Diagnosis,
  type Finding,
} from '@sync-doctor/core';
import { parseCheckArgs } from '../src/args.js';
import { UsageError } from '../src/io.js';
import { JunitFileError, prepareJunitFile, writeJunitFile } from '../src/junitFile.js';
import { renderJunit, renderJunitFailure } from '../src/render/junit.js';
import { RULE_CHECKS } from '../src/render/junit/suites.js';
import { xmlAttribute, xmlText } from '../src/render/junit/xml.js';
import { allCases, parseJunit } from './junitXml.js';
import { KINDS_OF_SYNC_ERRORS, readOnlyContactsDiagnosis, relayedStatus } from './support.js';

describe('renderJunit', () => {
  it("names an object's lookup sources once, in one phrase, as the app and the report do", () => {
    const diagnosis = readOnlyContactsDiagnosis();
    diagnosis.objects[0]!.reachedBy = [
      'lookup from Opportunity.ContactId',
      'lookup from Case.ContactId',
      'lookup from Opportunity.ContactId',
    ];
    const contact = allCases(parseJunit(renderJunit(diagnosis, { failOn: 'error' })))[0]!;
    const out = contact.systemOut ?? contact.failure?.body ?? '';
    expect(out).toContain('Reached by: lookups from Opportunity.ContactId and Case.ContactId');
    expect(out).not.toContain('; lookup from');
  });

  it('fails the testcase of an error finding and keeps a warning as output unless it counts', () => {
    const diagnosis = readOnlyContactsDiagnosis();
    const report = parseJunit(renderJunit(diagnosis, { failOn: 'error' }));
    expect(allCases(report).map((c) => `${c.classname} / ${c.name}`)).toEqual([
      'Object permissions / Contact: read, create, edit',
      'Object permissions / Lead: read, create, edit',
      'Field-level security / Contact.Email: read, edit',
      'Field-level security / Lead.Email: read, edit',
      'Org limits / API requests, last 24 hours (whole org)',
    ]);
    const contact = allCases(report)[0]!;
    expect(contact.failure).toEqual({
      message: 'The integration user cannot edit Contact records.',
      type: 'OBJECT_PERMISSIONS_MISSING',
      body: expect.stringContaining(
        "Remedy: Give edit on Contact in the permission set 'HubSpot Integration Permissions'.",
      ) as string,
    });
    // The rule id is --json's; here the testcase's name says which check it is, in words.
    expect(contact.failure!.body).not.toContain('Rule:');
    expect(contact.failure!.body).not.toContain(diagnosis.findings[0]!.rule);
    const limit = allCases(report)[4]!;
    expect(limit.failure).toBeUndefined();
    expect(limit.systemOut).toContain('WARNING At risk:');
    expect(limit.systemOut).toContain('12,000 of 15,000 used (80%)');

    const strict = parseJunit(renderJunit(diagnosis, { failOn: 'warning' }));
    expect(strict.failures).toBe(2);
    expect(allCases(strict)[4]!.failure!.type).toBe('API_LIMIT_EXCEEDED');
  });

  it("an at-risk API limit's failure carries HubSpot's step too, unless HubSpot reported that reason", () => {
    const apiLimit: Finding = {
      reason: 'API_LIMIT_EXCEEDED',
      severity: 'warning',
      subject: 'DailyApiRequests',
      rule: RULES.apiLimit,
      message: 'The org has used 96.5% of its daily API requests (96,502 of 100,000).',
      remedy: "In Salesforce, find which integrations use the org's API calls and slow them.",
    };
    const diagnosis: Diagnosis = { ...readOnlyContactsDiagnosis(), findings: [apiLimit] };
    const limitCase = (xml: string) =>
      allCases(parseJunit(xml)).find((c) => c.classname === 'Org limits')!;
    const body = limitCase(renderJunit(diagnosis, { failOn: 'warning' })).failure!.body;
    expect(body).toContain(`Remedy: ${apiLimit.remedy}\nAlso: In HubSpot's Salesforce integration`);
    expect(body.match(/"Allocated to HubSpot"/g)).toHaveLength(1);
    // Passing (failOn error), the warning's output says it the same way.
    expect(limitCase(renderJunit(diagnosis, { failOn: 'error' })).systemOut).toContain(
      'Also: In HubSpot',
    );
    const status = relayedStatus({ reason: 'API_LIMIT_EXCEEDED' });
    const relayed = {
      status,
      updatedAt: null,
      source: 'From HubSpot_Sync_Status__c',
      otherPortals: [],
      check: checkSuspensionSteps('API_LIMIT_EXCEEDED', diagnosis),
    };
    expect(
      limitCase(renderJunit(diagnosis, { failOn: 'warning', relayed })).failure!.body,
    ).not.toContain('Also:');
  });

  it('the suspension\'s case says how its reason is lifted, not always "cleared in HubSpot"', () => {
    const body = (reason: string) => {
      const relayed = {
        status: relayedStatus({ reason: reason as never }),
        updatedAt: null,
        source: 'From HubSpot_Sync_Status__c',
        otherPortals: [],
        check: null,
      };
      return allCases(
        parseJunit(renderJunit(readOnlyContactsDiagnosis(), { failOn: 'error', relayed })),
      ).find((c) => c.classname === 'HubSpot reported')!.failure!.body;
    };
    const stopped = "The sync is stopped whatever Salesforce's side looks like, ";
    // HubSpot's own API allocation lifts by itself: nobody clears it.
    expect(body('HUBSPOT_API_LIMIT_EXCEEDED')).toContain(
      `${stopped}for now: HubSpot resumes by itself once calls fall out of the rolling 24-hour window.`,
    );
    // API access disabled: reconnecting lifts it, as the plan says.
    expect(body('API_ACCESS_DISABLED')).toContain(
      `${stopped}until you re-enter the integration user's Salesforce credentials in HubSpot (reconnect)`,
    );
    expect(body('OBJECT_PERMISSIONS_MISSING')).toContain(
      `${stopped}until you clear the suspension in HubSpot.`,
    );
    for (const reason of ['HUBSPOT_API_LIMIT_EXCEEDED', 'API_ACCESS_DISABLED'])
      expect(body(reason)).not.toMatch(/until (it is cleared|you clear)/);
  });

  it("the suspension's case says each sync error group's kind and what to do, then Resync", () => {
    const status = relayedStatus({
      reason: 'FIELD_PERMISSIONS_MISSING',
      syncErrors: KINDS_OF_SYNC_ERRORS,
    });
    const relayed = {
      status,
      updatedAt: null,
      source: 'From HubSpot_Sync_Status__c',
      otherPortals: [],
      check: null,
    };
    const body = allCases(
      parseJunit(renderJunit(readOnlyContactsDiagnosis(), { failOn: 'error', relayed })),
    ).find((c) => c.classname === 'HubSpot reported')!.failure!.body;
    const view = syncErrorsView(status)!;
    const [field, picklist, sameAdvice, code] = view.lines;
    // As --report: the label and advice four spaces in, under the first group it is for.
    expect(body).toContain(`  ${field!.text}\n    ${field!.label}: ${field!.advice}\n`);
    expect(body).toContain(`  ${picklist!.text}\n    Picklist value: ${picklist!.advice}\n`);
    expect(sameAdvice!.advice).toBeNull();
    expect(body).toContain(
      `  ${sameAdvice!.text}\n  ${code!.text}\n    Custom code in Salesforce: `,
    );
    expect(body.split('Picklist value: ').length).toBe(2);
    expect(body.trimEnd().endsWith(view.resync!)).toBe(true);
  });

  it("the suspension's case says under each group what the diagnosis finds now, counting nothing twice", () => {
    const status = relayedStatus({
      reason: 'FIELD_PERMISSIONS_MISSING',
      syncErrors: KINDS_OF_SYNC_ERRORS,
    });
    const relayed = {
      status,
      updatedAt: null,
      source: 'From HubSpot_Sync_Status__c',
      otherPortals: [],
      check: null,
    };
    const base = readOnlyContactsDiagnosis();
    // Contact.Score__c, which HubSpot could not write, still lacks edit: its own testcase fails.
    const diagnosis: Diagnosis = {
      ...base,
      fields: [
        ...base.fields,
        {
          name: 'Contact.Score__c',
          required: ['read', 'edit'],
          effective: { read: true, edit: false },
          grantedBy: [],
          missing: ['edit'],
        },
      ],
    };
    const withStatus = parseJunit(renderJunit(diagnosis, { failOn: 'error', relayed }));
    const cases = allCases(withStatus);
    const body = cases.find((c) => c.classname === 'HubSpot reported')!.failure!.body;
    const [field, picklist] = syncErrorsView(status, { diagnosis })!.lines;
    // As --report: four spaces in, right after the advice.
    expect(body).toContain(
      `  ${field!.text}\n    ${field!.label}: ${field!.advice}\n    Now: the integration user still lacks edit on Contact.Score__c.\n  ${picklist!.text}\n`,
    );
    expect(body.split('Now:').length).toBe(2);
    // The field's testcase is its own failure; the Now line adds none: the failures are the
    // diagnosis's own and the suspension's, as without the sync errors.
    const without = parseJunit(
      renderJunit(diagnosis, {
        failOn: 'error',
        relayed: { ...relayed, status: relayedStatus({ reason: 'FIELD_PERMISSIONS_MISSING' }) },
      }),
    );
    expect(withStatus.failures).toBe(without.failures);
    expect(withStatus.tests).toBe(without.tests);
    expect(cases.filter((c) => c.name.startsWith('Contact.Score__c')).length).toBe(1);
    // A diagnosis that did not judge the field says nothing of it now.
    const unjudged = allCases(parseJunit(renderJunit(base, { failOn: 'error', relayed }))).find(
      (c) => c.classname === 'HubSpot reported',
    )!.failure!.body;
    expect(unjudged).not.toContain('Now:');
  });

  it('a finding no required check covers is a testcase of its own, named by subject and rule', () => {
    const diagnosis: Diagnosis = {
      ...readOnlyContactsDiagnosis(),
      findings: [
        {
          reason: 'OBJECT_PERMISSIONS_MISSING',
          severity: 'error',
          subject: 'Profile: Custom',
          rule: 'expired-assignment',
          message: 'It expired on 1 May 2026.',
          remedy: 'Extend it.',
        },
      ],
    };
    const cases = allCases(parseJunit(renderJunit(diagnosis, { failOn: 'error' })));
    const own = cases.filter((c) => c.classname === 'Integration user and system permissions');
    expect(own.map((c) => c.name)).toEqual(['Profile: Custom: assignment not expired']);
    expect(own[0]!.failure!.message).toBe('It expired on 1 May 2026.');
  });

  it("names a testcase by every one of the core's rules, not by the rule's id", () => {
    // A rule the table lacks still renders (by its reason and id), but under a name no admin reads.
    expect(Object.values(RULES).filter((rule) => !(rule in RULE_CHECKS))).toEqual([]);
    for (const rule of Object.values(RULES)) {
      const finding: Finding = {
        reason: 'UNKNOWN_ERROR',
        severity: 'warning',
        subject: 'Widget__c.Anything__c',
        rule,
        message: 'Something.',
        remedy: 'Something else.',
      };
      const cases = allCases(
        parseJunit(
          renderJunit({ ...readOnlyContactsDiagnosis(), findings: [finding] }, { failOn: 'error' }),
        ),
      );
      const own = cases.find((c) => c.systemOut?.includes('Something.'));
      expect(own?.name).toBe(`Widget__c.Anything__c: ${RULE_CHECKS[rule]!.check}`);
    }
  });

  it('keeps a field nobody can write in its field testcase, a warning that fails only on warnings', () => {
    const base = readOnlyContactsDiagnosis();
    const diagnosis: Diagnosis = {
      ...base,
      fields: [
        ...base.fields,
        {
          ...base.fields[0]!,
          name: 'Contact.CreatedDate',
          required: ['read'],
          missing: [],
          effective: { read: true, edit: false },
          note: 'Not writable by anyone (Salesforce sets it): edit cannot be granted and is not judged.',
        },
      ],
      findings: [
        {
          reason: 'FIELD_PERMISSIONS_MISSING',
          severity: 'warning',
          subject: 'Contact.CreatedDate',
          rule: RULES.fieldNotWritable,
          message: 'Edit is required on Contact.CreatedDate, but nobody can write it.',
          remedy: 'Require only Read on Contact.CreatedDate.',
        },
      ],
    };
    const named = (failOn: 'error' | 'warning') =>
      allCases(parseJunit(renderJunit(diagnosis, { failOn }))).filter((c) =>
        c.name.startsWith('Contact.CreatedDate'),
      );
    expect(named('error').map((c) => [c.classname, c.name, c.failure])).toEqual([
      ['Field-level security', 'Contact.CreatedDate: read', undefined],
    ]);
    expect(named('error')[0]!.systemOut).toContain(
      'Edit is required on Contact.CreatedDate, but nobody can write it.',
    );
    expect(named('warning')[0]!.failure?.type).toBe('FIELD_PERMISSIONS_MISSING');
  });

  it("keeps every login finding in the testcase of HubSpot's logins, the cleared failure too", () => {
    // The same testcase, by the same name, whether a login is refused or its cause has cleared.
    const withLogin = (rule: string): Diagnosis => ({
      ...readOnlyContactsDiagnosis(),
      logins: {
        days: 7,
        attempts: 1,
        otherApplications: 0,
        lastAttemptAt: '2026-11-29T11:00:00.000+0000',
        lastSuccessAt: null,
        failingSince: '2026-11-29T11:00:00.000+0000',
        failures: [],
      },
      findings: [
        {
          reason: 'API_ACCESS_DISABLED',
          severity: 'warning',
          subject: 'hubspot@acme.com',
          rule,
          message: "HubSpot's last login failed.",
          remedy: 'Click "Clear Suspension".',
        },
      ],
    });
    const logins = (rule: string) =>
      allCases(parseJunit(renderJunit(withLogin(rule), { failOn: 'warning' }))).filter(
        (c) => c.classname === "HubSpot's connected app and logins" || !!c.failure,
      );
    for (const rule of ['login-failures', 'login-failure-cleared']) {
      const cases = logins(rule);
      expect(cases.map((c) => `${c.classname} / ${c.name}`)).toEqual([
        "HubSpot's connected app and logins / HubSpot's logins as the integration user",
      ]);
      expect(cases[0]!.failure!.message).toBe("HubSpot's last login failed.");
    }
  });

  it('escapes a hostile field name and drops characters XML 1.0 cannot carry', () => {
    const diagnosis = readOnlyContactsDiagnosis();
    const name = 'Contact.A&B<"x">__c';
    diagnosis.fields.push({
      name,
      required: ['read'],
      effective: { read: false, edit: false },
      grantedBy: [],
      hubspotProperty: "it's\u0000 \u001b[31m\ud800 ]]> \t\nend",
    });
    diagnosis.findings.push({
      reason: 'FIELD_PERMISSIONS_MISSING',
      severity: 'error',
      subject: name,
      rule: 'field-level-security',
      message: `${name} is hidden\r\nfrom the user & "quoted".`,
      remedy: 'Give <read>.',
    });
    const xml = renderJunit(diagnosis, { failOn: 'error' });
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const field = allCases(parseJunit(xml)).find((c) => c.name === `${name}: read`)!;
    // Line breaks in an attribute survive as references; a parser would make bare ones spaces.
    expect(field.failure!.message).toBe(`${name} is hidden\r\nfrom the user & "quoted".`);
    expect(field.failure!.body).toContain('Remedy: Give <read>.');
    expect(field.systemOut).toContain("HubSpot property: it's\uFFFD \uFFFD[31m\uFFFD ]]> \t\nend");
  });

  it('stamps each testsuite with the time judged as the strict JUnit schema takes it: UTC, to the second, no zone', () => {
    const at = (judgedAt: string | undefined) =>
      parseJunit(
        renderJunit({ ...readOnlyContactsDiagnosis(), judgedAt }, { failOn: 'error' }),
      ).suites.map((s) => s.timestamp);
    // toISOString's milliseconds and 'Z' are dropped (the schema's pattern refuses both).
    const stamps = at('2026-11-30T21:06:40.123Z');
    expect(stamps.length).toBeGreaterThan(1);
    expect(new Set(stamps)).toEqual(new Set(['2026-11-30T21:06:40']));
    // A time with an offset is written in UTC.
    expect(new Set(at('2026-11-30T23:06:40.999+02:00'))).toEqual(new Set(['2026-11-30T21:06:40']));
    // No time judged, or none that reads as one: no attribute rather than a wrong one.
    expect(new Set(at(undefined))).toEqual(new Set([undefined]));
    expect(new Set(at('yesterday'))).toEqual(new Set([undefined]));
  });

  it('escapes text and attributes', () => {
    expect(xmlText('a&b<c>d"e')).toBe('a&amp;b&lt;c&gt;d"e');
    expect(xmlAttribute('a&b<c>"d"\n')).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#10;');
    expect(xmlText('\ufffe\uffff\udc00😀')).toBe('\uFFFD\uFFFD\uFFFD😀');
  });

  it('when the diagnosis could not run: one testcase in error (not a failure) with the reason', () => {
    const report = parseJunit(
      renderJunitFailure({ errorCode: 'INTEGRATION_USER_AMBIGUOUS', message: 'Two users <tie>' }),
    );
    expect(report.tests).toBe(1);
    expect(report.errors).toBe(1);
    expect(report.failures).toBe(0);
    expect(allCases(report)).toEqual([
      {
        classname: 'Sync Doctor',
        name: "Diagnose the HubSpot integration user's access",
        time: '0',
        error: {
          message: 'Could not diagnose: Two users <tie>',
          type: 'INTEGRATION_USER_AMBIGUOUS',
          body: 'Could not diagnose: INTEGRATION_USER_AMBIGUOUS\nTwo users <tie>',
        },
      },
    ]);
  });
});

describe('--junit', () => {
  it('takes a file name, not -', () => {
    expect(parseCheckArgs(['--demo', 'healthy', '--junit', 'out/r.xml']).junit).toBe('out/r.xml');
    expect(() => parseCheckArgs(['--demo', 'healthy', '--junit', '-'])).toThrow(UsageError);
    expect(() => parseCheckArgs(['--demo', 'healthy', '--junit', ' '])).toThrow(
      '--junit needs a value',
    );
  });

  it('is written whole over the old report, through a temporary file that does not stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-doctor-junit-file-'));
    try {
      writeFileSync(join(dir, 'r.xml'), 'old');
      const path = await prepareJunitFile('r.xml', dir);
      expect(path).toBe(join(dir, 'r.xml'));
      await writeJunitFile(path, '<testsuites/>\n');
      expect(readFileSync(path, 'utf8')).toBe('<testsuites/>\n');
      expect(readdirSync(dir)).toEqual(['r.xml']);
      await expect(prepareJunitFile('gone/r.xml', dir)).rejects.toThrow(
        `the directory ${join(dir, 'gone')} does not exist`,
      );
      await expect(prepareJunitFile('r.xml/x.xml', dir)).rejects.toThrow('is not a directory');
      rmSync(dir, { recursive: true, force: true });
      await expect(writeJunitFile(path, 'x')).rejects.toBeInstanceOf(JunitFileError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
