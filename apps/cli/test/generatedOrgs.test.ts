/**
 * `sync-doctor check` on generated orgs: every simulated fixture with the simulator's generated
 * orgChange applied (rights taken away, limits used up, the user deactivated or frozen), read
 * in-process by `--json` and by the tables at a random terminal width. Whatever the org, the JSON
 * document validates against the published schema, its `exit` is the code the process ends with,
 * a blocked org never exits 0, the tables end with the same code, and no line of theirs passes the
 * terminal's edge. The fixtures' own tests pin what is said; this checks what a pipeline relies on
 * for any org. Against the org simulator: no Salesforce org is reachable from here. Seed fixed.
 */
import fc from 'fast-check';
import { FIXTURE_NAMES, startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { orgChange } from '@sync-doctor/org-simulator/arbitraries';
import { main } from '../src/main.js';
import { visibleLength } from '../src/render/style.js';
import { expectValidCheckJson } from './checkJsonValidator.js';
import { memoryIo } from './support.js';

jest.setTimeout(120_000);

let sim: OrgSimulator;
beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
});
afterAll(() => sim.close());

interface CheckDocument {
  verdict?: string;
  exit?: { code: number };
  error?: unknown;
}

describe('check on generated orgs', () => {
  it('--json validates and says the exit code; the tables agree and fit (seed 2601, 150 runs)', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIXTURE_NAMES),
        fc.array(orgChange, { maxLength: 8 }),
        fc.integer({ min: 40, max: 140 }),
        async (fixture, changes, width) => {
          const args = [
            'check',
            ...['--instance-url', sim.url, '--access-token', sim.accessToken],
            ...['--user', sim.integrationUser.Username],
          ];
          // Each run on the org as generated: a run spends API requests, and a limit generated
          // near its maximum would otherwise be reached by the first run and refuse the second.
          sim.useFixture(fixture, 'default', { changes });
          const json = memoryIo({ env: { NO_COLOR: '1' } });
          const code = await main([...args, '--json'], json.io);
          const document = JSON.parse(json.stdout()) as CheckDocument;
          expectValidCheckJson(document);
          if (document.error === undefined) expect(document.exit?.code).toBe(code);
          else expect(code).not.toBe(0);
          if (document.verdict === 'blocked') expect(code).not.toBe(0);
          outcomes.add(document.error === undefined ? `${document.verdict} ${code}` : `error`);

          sim.useFixture(fixture, 'default', { changes });
          const tables = memoryIo({ env: { NO_COLOR: '1' }, tty: true, columns: width });
          expect(await main(args, tables.io)).toBe(code);
          const tooWide = tables
            .stdout()
            .split('\n')
            .filter((line) => visibleLength(line) > width);
          expect(tooWide).toEqual([]);
        },
      ),
      { seed: 2601, numRuns: 150 },
    );
    // The generated orgs must reach more than one outcome, or the property says little.
    expect(outcomes.size).toBeGreaterThanOrEqual(3);
  });
});
