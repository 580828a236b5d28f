// PMD's Apex security rules, plus chosen best practices (test/pmd/ruleset.xml), on every class
// and trigger.
// PMD runs once per test file (a JVM start costs seconds), through the wrapper shipped in
// @salesforce/code-analyzer-pmd-engine; a deliberately insecure fixture proves the rules fire.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLASSES_DIR, TRIGGERS_DIR, listFiles, relativeToRepo } from './lib/paths.js';
import { findPmdClasspath } from './lib/pmd.js';

interface PmdViolation {
  rule: string;
  message: string;
  codeLocation: { file: string; startLine: number };
}

const FIXTURE = path.join(__dirname, 'fixtures', 'apex', 'InsecureFixture.cls');
let violations: PmdViolation[] = [];
let processingErrors: { file: string; message: string }[] = [];
const classes = listFiles(CLASSES_DIR, (file) => file.endsWith('.cls'));
const triggers = listFiles(TRIGGERS_DIR, (file) => file.endsWith('.trigger'));

beforeAll(() => {
  const workDir = mkdtempSync(path.join(tmpdir(), 'sync-doctor-pmd-'));
  try {
    const input = path.join(workDir, 'input.json');
    const output = path.join(workDir, 'results.json');
    writeFileSync(
      input,
      JSON.stringify({
        ruleSetInputFile: path.join(__dirname, 'pmd', 'ruleset.xml'),
        runDataPerLanguage: { apex: { filesToScan: [...classes, ...triggers, FIXTURE] } },
      }),
    );
    const run = spawnSync(
      'java',
      [
        '-cp',
        findPmdClasspath(),
        'com.salesforce.sfca.pmdwrapper.PmdWrapper',
        'run',
        input,
        output,
      ],
      { encoding: 'utf8' },
    );
    if (run.error || run.status !== 0) {
      throw new Error(`PMD did not run (Java 17 is needed): ${run.error?.message ?? run.stderr}`);
    }
    const results = JSON.parse(readFileSync(output, 'utf8'));
    violations = results.violations;
    processingErrors = results.processingErrors;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
});

const describeViolation = (violation: PmdViolation): string =>
  `${relativeToRepo(violation.codeLocation.file)}:${violation.codeLocation.startLine} ${violation.rule}: ${violation.message}`;

describe('PMD on force-app Apex', () => {
  it('parses every class', () => {
    expect(processingErrors).toEqual([]);
    expect(classes.length).toBeGreaterThan(10);
    expect(triggers.length).toBeGreaterThan(0);
  });

  it('finds no violation in force-app', () => {
    const inForceApp = violations.filter((violation) => violation.codeLocation.file !== FIXTURE);
    expect(inForceApp.map(describeViolation)).toEqual([]);
  });

  it('reports the insecure fixture (SOQL injection, no sharing, unchecked DML)', () => {
    const rules = new Set(
      violations.filter((violation) => violation.codeLocation.file === FIXTURE).map((v) => v.rule),
    );
    expect([...rules]).toEqual(
      expect.arrayContaining(['ApexSOQLInjection', 'ApexSharingViolations', 'ApexCRUDViolation']),
    );
  });
});
