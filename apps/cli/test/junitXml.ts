import { XMLParser, XMLValidator } from 'fast-xml-parser';

interface JunitCase {
  classname: string;
  name: string;
  time: string;
  failure?: { message: string; type: string; body: string };
  /** The check could not run. */
  error?: { message: string; type: string; body: string };
  systemOut?: string;
}

interface JunitSuite {
  name: string;
  timestamp?: string;
  tests: number;
  failures: number;
  errors: number;
  cases: JunitCase[];
}

interface JunitReport {
  tests: number;
  failures: number;
  errors: number;
  suites: JunitSuite[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Names and messages are text: '0' stays '0', 'true' stays 'true'.
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are what the escaping test checks: have the parser expand them, not leave them.
  processEntities: true,
  // Numeric character references (&#10;) too: fast-xml-parser decodes them only with this on.
  htmlEntities: true,
  trimValues: false,
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});

type Node = Record<string, unknown>;

/** JUnit.xsd's `<xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"/>` (XSD patterns match the whole value). */
const ISO8601_DATETIME_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$/;

function text(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  return String((node as Node)['#text'] ?? '');
}

/**
 * Parses a JUnit report with a real XML parser, after its validator (which refuses what is not
 * well-formed: a bare '&', a '<' in an attribute, characters XML 1.0 does not allow), and checks
 * what CI tools rely on: every tests/failures count equals the testcases it counts.
 */
export function parseJunit(xml: string): JunitReport {
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Node;
  const root = doc.testsuites as Node | undefined;
  if (!root) throw new Error('no <testsuites> root');
  const suites = ((root.testsuite as Node[] | undefined) ?? []).map((suite): JunitSuite => {
    const cases = ((suite.testcase as Node[] | undefined) ?? []).map((c): JunitCase => {
      const failure = c.failure as Node | string | undefined;
      const error = c.error as Node | string | undefined;
      return {
        classname: String(c['@_classname']),
        name: String(c['@_name']),
        time: String(c['@_time']),
        ...(failure !== undefined
          ? {
              failure: {
                message: String((failure as Node)['@_message']),
                type: String((failure as Node)['@_type']),
                body: text(failure),
              },
            }
          : {}),
        ...(error !== undefined
          ? {
              error: {
                message: String((error as Node)['@_message']),
                type: String((error as Node)['@_type']),
                body: text(error),
              },
            }
          : {}),
        ...(c['system-out'] !== undefined ? { systemOut: text(c['system-out']) } : {}),
      };
    });
    const timestamp = suite['@_timestamp'] as string | undefined;
    // The strict Ant JUnit schema (JUnit.xsd): ISO8601_DATETIME_PATTERN, an xs:dateTime with the
    // pattern below, no fraction of a second and no zone ("Z" or an offset are refused).
    if (timestamp !== undefined && !ISO8601_DATETIME_PATTERN.test(timestamp))
      throw new Error(
        `suite '${String(suite['@_name'])}' has timestamp '${timestamp}', not YYYY-MM-DDTHH:MM:SS`,
      );
    const result = {
      name: String(suite['@_name']),
      ...(timestamp !== undefined ? { timestamp } : {}),
      tests: Number(suite['@_tests']),
      failures: Number(suite['@_failures']),
      errors: Number(suite['@_errors']),
      cases,
    };
    if (result.tests !== cases.length)
      throw new Error(`suite '${result.name}' says tests=${result.tests}, has ${cases.length}`);
    const failed = cases.filter((c) => c.failure).length;
    if (result.failures !== failed)
      throw new Error(`suite '${result.name}' says failures=${result.failures}, has ${failed}`);
    const errored = cases.filter((c) => c.error).length;
    if (result.errors !== errored)
      throw new Error(`suite '${result.name}' says errors=${result.errors}, has ${errored}`);
    return result;
  });
  const report = {
    tests: Number(root['@_tests']),
    failures: Number(root['@_failures']),
    errors: Number(root['@_errors']),
    suites,
  };
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const errors = suites.reduce((n, s) => n + s.errors, 0);
  if (report.errors !== errors)
    throw new Error(`<testsuites> says ${report.errors} errors; suites hold ${errors}`);
  if (report.tests !== tests || report.failures !== failures)
    throw new Error(
      `<testsuites> says ${report.tests} tests, ${report.failures} failures; suites hold ${tests}, ${failures}`,
    );
  return report;
}

export function allCases(report: JunitReport): JunitCase[] {
  return report.suites.flatMap((s) => s.cases);
}
