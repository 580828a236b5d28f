/**
 * The --junit report when SIGINT or SIGTERM comes at an awkward moment. bin.ts calls
 * `interrupted(signal)` from its signal handler, as these tests do. Each test loads junitFile.ts
 * (and main.ts) afresh: what a signal did is the module's state.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCases, parseJunit } from './junitXml.js';
import { memoryIo } from './support.js';

type JunitFile = typeof import('../src/junitFile.js');
type Junit = typeof import('../src/render/junit.js');
type Deadline = typeof import('../src/deadline.js');
type Main = typeof import('../src/main.js');

async function fresh(): Promise<{ file: JunitFile; junit: Junit; deadline: Deadline; main: Main }> {
  let loaded: { file: JunitFile; junit: Junit; deadline: Deadline; main: Main } | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = {
      file: await import('../src/junitFile.js'),
      junit: await import('../src/render/junit.js'),
      deadline: await import('../src/deadline.js'),
      main: await import('../src/main.js'),
    };
  });
  return loaded!;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-junit-interrupted-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A previous run's report, every testcase passing. */
const PASSING =
  '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="1" failures="0" errors="0">\n' +
  '  <testsuite name="Objects" tests="1" failures="0" errors="0">\n' +
  '    <testcase classname="Objects" name="Contact" time="0"/>\n  </testsuite>\n</testsuites>\n';

describe('--junit and a signal', () => {
  it('a signal while the diagnosis is being written: the file ends as the INTERRUPTED report, as the exit code says', async () => {
    const { file, junit } = await fresh();
    const path = join(dir, 'report.xml');
    const stop = file.whenInterrupted((signal) =>
      file.writeJunitFileNow(
        path,
        junit.renderJunitFailure({ errorCode: 'INTERRUPTED', message: `interrupted (${signal})` }),
      ),
    );
    try {
      // The diagnosis's report is on its way (its temporary file being written) when SIGINT comes.
      const writing = file.writeJunitFile(path, PASSING);
      file.interrupted('SIGINT');
      await writing;
    } finally {
      stop();
    }
    const report = parseJunit(readFileSync(path, 'utf8'));
    expect(report.errors).toBe(1);
    expect(allCases(report).map((c) => c.error?.type)).toEqual(['INTERRUPTED']);
    // No temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(['report.xml']);
  });

  it('a signal before the check watched for one (the report path still being checked): the check writes the INTERRUPTED report itself, not leaving the last run', async () => {
    const { file, deadline, main } = await fresh();
    const path = join(dir, 'report.xml');
    writeFileSync(path, PASSING);
    const cancel = new AbortController();
    // What bin.ts does on SIGTERM: its handler runs while no check watches yet.
    file.interrupted('SIGTERM');
    cancel.abort(new deadline.Interrupted('SIGTERM', 143));
    const run = memoryIo();
    const code = await main.main(['check', '--demo', 'healthy', '--json', '--junit', path], {
      ...run.io,
      cancel,
    });
    expect(code).toBe(143);
    expect(JSON.parse(run.stdout()).error).toMatchObject({ errorCode: 'INTERRUPTED' });
    const report = parseJunit(readFileSync(path, 'utf8'));
    expect(report.errors).toBe(1);
    expect(allCases(report).map((c) => c.error?.type)).toEqual(['INTERRUPTED']);
  });
});
