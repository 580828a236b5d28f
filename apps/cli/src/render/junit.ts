/*
 * `check --junit`: the diagnosis as a JUnit XML report, for CI pipelines (GitLab, Jenkins, Azure
 * DevOps) that show test results from JUnit rather than from stdout. Pure: the caller writes it.
 *
 * One testsuite per area an admin looks at in Setup, one testcase per required check (each
 * required object, mapped field, system permission, permission set, org limit) and one per finding
 * none of those covers. Names come from what was required, never from what was found missing, so
 * a pipeline tracks the same test from run to run ('Contact: read, create, edit' fails one day
 * and passes the next). Every time is 0: the checks are judged together from one snapshot, so no
 * check has a duration of its own.
 *
 * Here each testcase is rendered and the document assembled; the suites come from junit/suites.ts,
 * HubSpot's relayed status from junit/suspensionCase.ts, the XML writing from junit/xml.ts.
 */
import { findingCode, findingTitle, type Diagnosis, type Finding } from '@sync-doctor/core';
import { hubspotStepsBeyondRemedy, planOf } from './diagnosis/plan.js';
import type { RelayedView } from './relayed.js';
import { buildSuites, type Case } from './junit/suites.js';
import { SUSPENSION_SUITE, statusUnreadCase, suspensionCase } from './junit/suspensionCase.js';
import { attributes, document, junitTimestamp, xmlText, type RenderedCase } from './junit/xml.js';

const SEVERITY_LABEL = { error: 'ERROR', warning: 'WARNING', info: 'INFO' } as const;

/**
 * What a finding says, as the CLI's Findings section says it: heading, message, remedy, and the
 * plan's HubSpot step its remedy leaves out (the org's API limit: "Allocated to HubSpot"). Not its
 * rule id ('object-permissions'): the testcase's name already says which check it is, in words.
 */
function findingBody(finding: Finding, hubspotSteps: (finding: Finding) => string[]): string {
  return [
    `${SEVERITY_LABEL[finding.severity]} ${findingTitle(finding)} (${findingCode(finding)})`,
    finding.message,
    `Remedy: ${finding.remedy}`,
    ...hubspotSteps(finding).map((step) => `Also: ${step}`),
  ].join('\n');
}

function fails(finding: Finding, failOn: 'error' | 'warning'): boolean {
  return finding.severity === 'error' || (failOn === 'warning' && finding.severity === 'warning');
}

function renderCase(
  classname: string,
  testcase: Case,
  failOn: 'error' | 'warning',
  hubspotSteps: (finding: Finding) => string[],
): RenderedCase {
  const body = (finding: Finding) => findingBody(finding, hubspotSteps);
  const failing = testcase.findings.filter((f) => fails(f, failOn));
  const passing = testcase.findings.filter((f) => !fails(f, failOn));
  const lines = [`    <testcase${attributes({ classname, name: testcase.name, time: 0 })}>`];
  if (testcase.skipped !== undefined)
    lines.push(`      <skipped${attributes({ message: testcase.skipped })}/>`);
  if (failing.length > 0) {
    const first = failing[0]!;
    lines.push(
      `      <failure${attributes({ message: first.message, type: findingCode(first) })}>${xmlText(
        failing.map(body).join('\n\n'),
      )}</failure>`,
    );
  }
  const out = [...passing.map(body), ...(testcase.notes.length ? [testcase.notes.join('\n')] : [])];
  if (out.length > 0) lines.push(`      <system-out>${xmlText(out.join('\n\n'))}</system-out>`);
  lines.push('    </testcase>');
  // A testcase with nothing inside is written as one line.
  const xml = lines.length === 2 ? `${lines[0]!.slice(0, -1)}/>` : lines.join('\n');
  return {
    xml,
    failed: failing.length > 0,
    ...(testcase.skipped !== undefined ? { skipped: true } : {}),
  };
}

/**
 * The diagnosis as JUnit XML. An error finding fails its testcase; a warning fails it only with
 * `failOn: 'warning'` (as the exit code does), else it passes with the warning in <system-out>.
 * `relayed` (HubSpot's relayed status) is asked of the plan as the human output asks it.
 */
export function renderJunit(
  diagnosis: Diagnosis,
  { failOn, relayed }: { failOn: 'error' | 'warning'; relayed?: RelayedView },
): string {
  const context = { relayed };
  const plan = planOf(diagnosis, context);
  const hubspotSteps = (finding: Finding) => hubspotStepsBeyondRemedy(finding, plan, context);
  const timestamp = junitTimestamp(diagnosis.judgedAt);
  const suspension = relayed?.status
    ? suspensionCase(relayed, diagnosis)
    : relayed?.unavailable
      ? statusUnreadCase(relayed)
      : undefined;
  return document([
    ...buildSuites(diagnosis).map((suite) => ({
      name: suite.name,
      timestamp,
      cases: suite.cases.map((c) => renderCase(suite.name, c, failOn, hubspotSteps)),
    })),
    ...(suspension ? [{ name: SUSPENSION_SUITE, timestamp, cases: [suspension] }] : []),
  ]);
}

/** The suite and testcase of a check that could not run: always the same, so it is tracked too. */
export const COULD_NOT_DIAGNOSE_SUITE = 'Sync Doctor';
export const COULD_NOT_DIAGNOSE_CASE = "Diagnose the HubSpot integration user's access";

/**
 * When the diagnosis could not run (exit 2 or 75): one testcase in error saying why, so the
 * pipeline shows the reason instead of a missing report. An <error>, not a <failure>, as JUnit
 * tells a test that could not run from one that found a fault: a test view (GitLab's "error",
 * Jenkins' error details) then keeps "Salesforce was down" apart from a lost permission.
 */
export function renderJunitFailure(
  failure: { errorCode: string; message: string; detail?: string },
  now: Date = new Date(),
): string {
  const testcase = [
    `    <testcase${attributes({ classname: COULD_NOT_DIAGNOSE_SUITE, name: COULD_NOT_DIAGNOSE_CASE, time: 0 })}>`,
    `      <error${attributes({ message: `Could not diagnose: ${failure.message}`, type: failure.errorCode })}>${xmlText(
      // The detail is what stderr said, its own heading included.
      failure.detail ?? `Could not diagnose: ${failure.errorCode}\n${failure.message}`,
    )}</error>`,
    '    </testcase>',
  ].join('\n');
  return document([
    {
      name: COULD_NOT_DIAGNOSE_SUITE,
      // When it was tried, as the diagnosis's suites carry when it was judged.
      timestamp: junitTimestamp(now.toISOString()),
      cases: [{ xml: testcase, failed: true, errored: true }],
    },
  ]);
}
