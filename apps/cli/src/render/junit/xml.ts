/*
 * The JUnit XML document: escaping that keeps any text well-formed, the testsuites' counts, and
 * the timestamp the strict Ant schema accepts.
 */

/**
 * XML 1.0 has no way to carry most C0 controls, U+FFFE/U+FFFF or a lone surrogate, even escaped:
 * they become U+FFFD so the report stays well-formed and shows that something was there.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Also double quotes (attributes are written in them), and tabs and line breaks as references: a parser would turn them into spaces. */
export function xmlAttribute(value: string): string {
  return xmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`)
    .join('');
}

export interface RenderedCase {
  xml: string;
  failed: boolean;
  /** An <error> (the check could not run), not a <failure> (a requirement not met). */
  errored?: boolean;
  skipped?: boolean;
}

export interface SuiteXml {
  name: string;
  timestamp?: string;
  cases: RenderedCase[];
}

export function document(suites: SuiteXml[]): string {
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failed = (c: RenderedCase) => c.failed && !c.errored;
  const errored = (c: RenderedCase) => c.errored === true;
  const failures = suites.reduce((n, s) => n + s.cases.filter(failed).length, 0);
  const errors = suites.reduce((n, s) => n + s.cases.filter(errored).length, 0);
  const isSkipped = (c: RenderedCase) => c.skipped === true;
  const skipped = suites.reduce((n, s) => n + s.cases.filter(isSkipped).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'sync-doctor check', tests: total, failures, errors, skipped, time: 0 })}>`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite${attributes({
        name: suite.name,
        tests: suite.cases.length,
        failures: suite.cases.filter(failed).length,
        errors: suite.cases.filter(errored).length,
        skipped: suite.cases.filter(isSkipped).length,
        time: 0,
        ...(suite.timestamp ? { timestamp: suite.timestamp } : {}),
      })}>`,
      ...suite.cases.map((c) => c.xml),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * The `timestamp` of a testsuite: when the diagnosis was judged, as `YYYY-MM-DDTHH:MM:SS` in UTC,
 * with no milliseconds and no zone designator. The strict Ant JUnit schema (JUnit.xsd, type
 * ISO8601_DATETIME_PATTERN: xs:dateTime restricted to that pattern, "timezone may not be
 * specified") refuses `2026-11-30T21:06:40.123Z`; the time is UTC, though the attribute cannot say
 * so. Undefined (no attribute) when judgedAt is missing or no date.
 */
export function junitTimestamp(judgedAt: string | undefined): string | undefined {
  const time = judgedAt === undefined ? NaN : Date.parse(judgedAt);
  if (Number.isNaN(time)) return undefined;
  const utc = new Date(time).toISOString().slice(0, 19);
  // A year outside 0000-9999 (toISOString writes '+010000-...') has no place in the pattern.
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(utc) ? utc : undefined;
}
