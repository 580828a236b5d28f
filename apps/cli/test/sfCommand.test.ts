/**
 * The Salesforce CLI commands the advice suggests must work when pasted by someone who installed
 * it as the README does (`npm ci`, then `npx sf …`): `npx sf`, not `sf`, which their shell lacks.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseCheckArgs } from '../src/args.js';
import { renderFailure } from '../src/render/failure.js';
import { createStyle } from '../src/render/style.js';
import { sfCommand } from '../src/sfCommand.js';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const BIN = join(ROOT, 'apps', 'cli', 'dist', 'bin.js');
const plain = createStyle(false);

let dir: string;
/** A repository with the Salesforce CLI installed as a dev dependency. */
let repoBin: string;
/** A global install. */
let globalBin: string;
/** Neither. */
let elsewhere: string;

function fakeSf(file: string, answer: object): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho '${JSON.stringify(answer)}'\n`);
  chmodSync(file, 0o755);
}

const notAuthorized = {
  status: 1,
  name: 'NamedOrgNotFoundError',
  message: 'No authorization information found for prod. See more help with --help.',
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-sf-'));
  repoBin = join(dir, 'repo', 'node_modules', '.bin');
  fakeSf(join(repoBin, 'sf'), notAuthorized);
  globalBin = join(dir, 'global', 'bin');
  fakeSf(join(globalBin, 'sf'), notAuthorized);
  elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sfCommand', () => {
  it("'npx sf' when the sf on PATH is a repository's (npx and npm scripts put node_modules/.bin there)", () => {
    expect(sfCommand({ PATH: [repoBin, globalBin].join(delimiter) }, [], 'linux')).toBe('npx sf');
  });

  it("'sf' when the sf on PATH is installed", () => {
    expect(sfCommand({ PATH: [globalBin, repoBin].join(delimiter) }, [], 'linux')).toBe('sf');
  });

  it("no sf on PATH: 'npx sf' inside a repository that has one, else 'sf'", () => {
    const inRepo = join(dir, 'repo', 'apps', 'cli');
    mkdirSync(inRepo, { recursive: true });
    expect(sfCommand({ PATH: elsewhere }, [inRepo], 'linux')).toBe('npx sf');
    expect(sfCommand({ PATH: elsewhere }, [elsewhere], 'linux')).toBe('sf');
    expect(sfCommand({}, [], 'linux')).toBe('sf');
  });
});

describe('the advice, for a README install', () => {
  // The package's own messages come spelled already (connect's sfCommand; the child process tests
  // below): the CLI's advice under them is spelled the same way, and the message is not rewritten.
  it.each([
    ['INVALID_SESSION_ID', 'Session expired or invalid'],
    ['SF_CLI_ORG_NOT_AUTHORIZED', 'No authorization information found for prod.'],
    ['SF_CLI_TIMEOUT', 'The Salesforce CLI did not finish'],
  ])('%s: every sf command its advice suggests starts with npx', (errorCode, message) => {
    const text = renderFailure({ errorCode, message }, plain, 400, 'npx sf');
    expect(text).toMatch(/npx sf org (login web|display|auth show-access-token)/);
    expect(text.replace(/npx sf /g, '')).not.toMatch(/(^|[\s'"(])sf org /);
  });

  it('the redirect and the refused-login advice too', () => {
    for (const errorCode of ['REDIRECT_REFUSED', 'INVALID_LOGIN']) {
      const text = renderFailure({ errorCode, message: 'x' }, plain, 400, 'npx sf');
      expect(text).toContain('npx sf org login web');
      expect(text.replace(/npx sf /g, '')).not.toMatch(/(^|[\s'"(])sf org /);
    }
  });

  it('SF_CLI_NOT_FOUND in a repository that has it: run through npx, not "install it globally"', () => {
    const text = renderFailure(
      { errorCode: 'SF_CLI_NOT_FOUND', message: "The Salesforce CLI ('sf') is not installed" },
      plain,
      400,
      'npx sf',
    );
    expect(text).toContain("run Sync Doctor as 'npx sync-doctor check …' from the repository");
    expect(text).not.toContain('Install the Salesforce CLI (npm install --global');
  });

  it('an installed sf keeps plain sf commands', () => {
    const text = renderFailure({ errorCode: 'INVALID_SESSION_ID', message: 'x' }, plain, 400);
    expect(text).toContain('(sf org login web --alias ALIAS)');
    expect(text).not.toContain('npx');
  });

  it('a token pasted with a line break: the command that prints it again, as the user can run it', () => {
    let message = '';
    try {
      parseCheckArgs(['--instance-url', 'https://a.my.salesforce.com', '--access-token', 'a b'], {
        PATH: repoBin,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('(npx sf org auth show-access-token)');
  });
});

describe('check --target-org, as a child process', () => {
  function cli(path: string): Promise<{ code: number; stderr: string }> {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', PATH: path };
    delete env.FORCE_COLOR;
    return new Promise((done) => {
      execFile(
        NODE,
        [BIN, 'check', '--target-org', 'prod'],
        { cwd: elsewhere, env, timeout: 25_000 },
        (error, _stdout, stderr) =>
          done({
            code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
            stderr: String(stderr),
          }),
      );
    });
  }

  it("run through npx (the repository's sf on PATH): says 'npx sf org login web --alias prod'", async () => {
    const run = await cli([repoBin, '/usr/bin', '/bin'].join(delimiter));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SF_CLI_ORG_NOT_AUTHORIZED');
    expect(run.stderr.replace(/\s+/g, ' ')).toContain("Run 'npx sf org login web --alias prod'");
    expect(run.stderr.replace(/\s+/g, ' ')).toContain(
      'Authorise the org with the Salesforce CLI (npx sf org login web --alias ALIAS)',
    );
    expect(run.stderr.replace(/npx sf /g, '')).not.toMatch(/(^|[\s'"(])sf org /);
  });

  it("an installed sf: says 'sf org login web --alias prod'", async () => {
    const run = await cli([globalBin, '/usr/bin', '/bin'].join(delimiter));
    expect(run.code).toBe(2);
    expect(run.stderr.replace(/\s+/g, ' ')).toContain("Run 'sf org login web --alias prod'");
    expect(run.stderr).not.toContain('npx sf');
  });
});
