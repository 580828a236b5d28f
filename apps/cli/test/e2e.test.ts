/**
 * `sync-doctor` as a child process (node dist/bin.js with the project's Node 24), against the org
 * simulator: what it prints, --json, and the exit codes 0 / 1 / 2.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CONNECTED_APPS_NOT_READ_MESSAGE } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { CHECK_USAGE } from '../src/args.js';
import { allCases, parseJunit } from './junitXml.js';
import { checkAt, close, listen } from './localServer.js';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const BIN = join(ROOT, 'apps', 'cli', 'dist', 'bin.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  delete childEnv.FORCE_COLOR;
  return new Promise((done) => {
    execFile(
      NODE,
      [BIN, ...args],
      { cwd: ROOT, env: childEnv, timeout: 25_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

let sim: OrgSimulator;
let dir: string;
beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-cli-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sim.close();
});
afterEach(() => sim.clearFaults());

const tokenArgs = () => [
  '--instance-url',
  sim.url,
  '--access-token',
  sim.accessToken,
  '--user',
  sim.integrationUser.Username,
];

describe('check: output and exit codes', () => {
  it('read-only-contacts: shows the missing Contact edit right and its remedy, exits 1', async () => {
    const run = await cli(['check', '--demo', 'read-only-contacts']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Verdict: BLOCKED');
    const contact = run.stdout.split('\n').find((l) => /^\s+Contact\s/.test(l));
    expect(contact).toMatch(/Contact\s+✓\s+✗\s+✗\s+missing create, edit/);
    expect(run.stdout).toMatch(/ERROR\s+Contact\s+OBJECT_PERMISSIONS_MISSING/);
    // Wrapped to the width (80 columns when stdout is not a terminal).
    expect(run.stdout.replace(/\s+/g, ' ')).toMatch(
      /Remedy: Give the user Read, Create and Edit on Contact/,
    );
    // Limits, the snapshot, the composite of Login History, HubSpot's connected app and the
    // frozen flag, and the relayed status of every portal beside them in the same round.
    expect(run.stdout).toContain('4 API requests to read the org');
    expect(run.stdout).not.toMatch(/\u001b\[/);
    // Progress goes to stderr, one plain line per step when not on a TTY.
    expect(run.stderr).toContain("sync-doctor: starting the simulated org 'read-only-contacts'");
    expect(run.stderr).toContain('sync-doctor: reading hubspot.integration@acme.example');
  });

  it("expired-assignment: says once, under the first remedy offering it, where Sync Doctor's fix is (the app in Salesforce)", async () => {
    const run = await cli(['check', '--demo', 'expired-assignment']);
    expect(run.code).toBe(1);
    const flat = run.stdout.replace(/\s+/g, ' ');
    // The core's remedies offer the fix on many findings; the CLI cannot apply it.
    expect(flat.match(/let Sync Doctor's fix create and assign/g)!.length).toBeGreaterThan(1);
    const pointer =
      /Sync Doctor's fix is in Salesforce, not this command: App Launcher > Sync Doctor > the 'Fix it in Salesforce' card > "Grant the missing rights"\./g;
    expect(flat.match(pointer)).toHaveLength(1);
    // Right under the first remedy that offers it.
    const first = flat.indexOf("let Sync Doctor's fix create and assign");
    expect(flat.slice(first).search(pointer)).toBeLessThan(100);
    // The names are the app's: its Lightning app and the card's button.
    const app = readFileSync(
      join(ROOT, 'force-app/main/default/applications/Sync_Doctor.app-meta.xml'),
      'utf8',
    );
    expect(app).toContain('<label>Sync Doctor</label>');
    const card = readFileSync(
      join(ROOT, 'force-app/main/default/lwc/remediationActions/remediationActions.html'),
      'utf8',
    );
    expect(card).toContain('label="Grant the missing rights"');
    // A demo whose remedies do not offer it has no pointer.
    const healthy = await cli(['check', '--demo', 'healthy']);
    expect(healthy.stdout).not.toContain("Sync Doctor's fix");
  });

  it('--json prints the Diagnosis alone on stdout', async () => {
    const run = await cli(['check', ...tokenArgs(), '--json']);
    expect(run.code).toBe(1);
    const diagnosis = JSON.parse(run.stdout);
    expect(diagnosis.verdict).toBe('blocked');
    expect(diagnosis.findings).toContainEqual(
      expect.objectContaining({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        subject: 'Contact',
        severity: 'error',
      }),
    );
    expect(
      diagnosis.objects.find((o: { name: string }) => o.name === 'Contact').effective.edit,
    ).toBe(false);
  });

  it('--report prints the core plain-text report', async () => {
    const run = await cli(['check', ...tokenArgs(), '--report']);
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith('Sync Doctor report')).toBe(true);
    expect(run.stdout).toContain('Contact');
  });

  it('exits 0 when nothing reaches --fail-on, 1 when warnings count', async () => {
    sim.useFixture('api-limit-near');
    try {
      const lenient = await cli(['check', ...tokenArgs()]);
      // Named as Setup names it; the reason code stays beside it.
      expect(lenient.stdout).toMatch(
        /WARNING\s+API requests, last 24 hours \(whole org\)\s+API_LIMIT_EXCEEDED/,
      );
      expect(lenient.code).toBe(0);
      const strict = await cli(['check', ...tokenArgs(), '--fail-on', 'warning']);
      expect(strict.code).toBe(1);
    } finally {
      sim.useFixture('read-only-contacts');
    }
  });

  it('--demo restricted-ip: BLOCKED by the refused logins, with the Logins section, exit 1', async () => {
    const run = await cli(['check', '--demo', 'restricted-ip']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('BLOCKED');
    expect(run.stdout).toMatch(/Logins \(last 7 days\)\n {2}Last success .* · refused since /);
    expect(run.stdout).toMatch(
      /Restricted IP\s+6\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+198\.51\.100\./,
    );
    // The finding by its code; its rule id (login-failures) is --json's, below.
    expect(run.stdout).toMatch(
      /1\. ERROR\s+hubspot\.integration@acme\.example\s+LOGIN_IP_RESTRICTED/,
    );
    expect(run.stdout).not.toContain('login-failures');
    expect(run.stdout).toContain('4 API requests to read the org');
    const json = await cli(['check', '--demo', 'restricted-ip', '--json']);
    expect(json.code).toBe(1);
    const diagnosis = JSON.parse(json.stdout) as {
      verdict: string;
      logins: { failingSince: string; failures: Array<{ status: string; count: number }> };
      findings: Array<{ rule?: string; severity: string }>;
    };
    expect(diagnosis.verdict).toBe('blocked');
    expect(diagnosis.logins.failures).toEqual([
      expect.objectContaining({ status: 'Restricted IP', count: 6, cause: 'ip-range' }),
    ]);
    expect(diagnosis.findings).toContainEqual(
      expect.objectContaining({ rule: 'login-failures', severity: 'error' }),
    );
  });

  it("--demo admin-approved-app: BLOCKED by HubSpot's connected app admitting admin-approved users only, exit 1", async () => {
    const run = await cli(['check', '--demo', 'admin-approved-app']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Verdict: BLOCKED');
    expect(run.stdout).toMatch(/ERROR\s+HubSpot\s+CONNECTED_APP_NOT_APPROVED/);
    const flat = run.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'The connected app "HubSpot" admits admin-approved users only, and no active profile or permission set of',
    );
    expect(flat).toContain('Failed: Not approved for access');
    expect(flat).toMatch(
      /Remedy: In Setup > Connected Apps > Manage Connected Apps, open "HubSpot" and add the profile/,
    );
    expect(run.stdout).toMatch(/1\. ERROR\s+HubSpot\s+CONNECTED_APP_NOT_APPROVED/);
    expect(run.stdout).not.toContain('connected-app-approval');
    // Every right and every login is fine so far: this is the only finding.
    expect(run.stdout).toContain('Findings (1)');
    expect(run.stdout).not.toContain('refused since');
    expect(run.stdout).not.toContain("HubSpot's connected app\n  Not read");
    expect(run.stdout).toContain('4 API requests to read the org');
    const json = await cli(['check', '--demo', 'admin-approved-app', '--json']);
    expect(json.code).toBe(1);
    const diagnosis = JSON.parse(json.stdout) as {
      verdict: string;
      findings: Array<{ rule?: string; severity: string; subject: string }>;
    };
    expect(diagnosis.verdict).toBe('blocked');
    expect(diagnosis.findings).toEqual([
      expect.objectContaining({
        rule: 'connected-app-approval',
        severity: 'error',
        subject: 'HubSpot',
      }),
    ]);
    const report = await cli(['check', '--demo', 'admin-approved-app', '--report']);
    expect(report.code).toBe(1);
    expect(report.stdout).toContain('connected app "HubSpot"');
  });

  it("--demo sync-stopped: BLOCKED, HubSpot's logins stopped 20 hours ago, exit 1", async () => {
    // A stopped sync blocks (the core's error), its cause unknown: not merely at risk.
    const run = await cli(['check', '--demo', 'sync-stopped']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Verdict: BLOCKED');
    expect(run.stdout).toContain('Findings (1)');
    expect(run.stdout).toMatch(/ERROR\s+hubspot\.integration@acme\.example\s+SYNC_STOPPED/);
    const flat = run.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(
      /HubSpot has not logged in as 'hubspot\.integration@acme\.example' for 20 hours \(last at [^)]+\), while before that it logged in about every hour: HubSpot's sync has stopped\./,
    );
    expect(flat).toContain('click "Clear Suspension"');
    expect(run.stdout).not.toContain('hubspot-logins-stopped');
    expect(run.stdout).not.toContain('refused since');
    const json = await cli(['check', '--demo', 'sync-stopped', '--json', '--fail-on', 'warning']);
    expect(json.code).toBe(1);
    const diagnosis = JSON.parse(json.stdout) as {
      verdict: string;
      findings: Array<{ rule?: string; severity: string; symptom?: string }>;
    };
    expect(diagnosis.verdict).toBe('blocked');
    expect(diagnosis.findings).toEqual([
      expect.objectContaining({
        rule: 'hubspot-logins-stopped',
        symptom: 'SYNC_STOPPED',
        severity: 'error',
      }),
    ]);
  });

  it("without Customize Application says HubSpot's connected app was not read, and checks the rest", async () => {
    const taken = sim
      .records('PermissionSet')
      .filter((set) => set.PermissionsCustomizeApplication === true);
    for (const set of taken) set.PermissionsCustomizeApplication = false;
    try {
      const run = await cli(['check', ...tokenArgs()]);
      expect(run.code).toBe(1);
      expect(run.stdout.replace(/\n {2}/g, ' ')).toContain(
        `HubSpot's connected app ${CONNECTED_APPS_NOT_READ_MESSAGE}`,
      );
      expect(run.stdout).toMatch(/ERROR\s+Contact\s+OBJECT_PERMISSIONS_MISSING/);
    } finally {
      for (const set of taken) set.PermissionsCustomizeApplication = true;
    }
  });

  it('with Customize Application but neither Modify All Data nor Manage Connected Apps, says so too, and --report carries it', async () => {
    const taken = sim
      .records('PermissionSet')
      .filter(
        (set) =>
          set.PermissionsModifyAllData === true || set.PermissionsManageConnectedApps === true,
      )
      .map((set) => ({
        set,
        modifyAllData: set.PermissionsModifyAllData,
        manageConnectedApps: set.PermissionsManageConnectedApps,
      }));
    for (const { set } of taken) {
      set.PermissionsModifyAllData = false;
      set.PermissionsManageConnectedApps = false;
    }
    expect(
      sim.records('PermissionSet').some((set) => set.PermissionsCustomizeApplication === true),
    ).toBe(true);
    try {
      const run = await cli(['check', ...tokenArgs()]);
      expect(run.code).toBe(1);
      expect(run.stdout.replace(/\n {2}/g, ' ')).toContain(
        `HubSpot's connected app ${CONNECTED_APPS_NOT_READ_MESSAGE}`,
      );
      expect(run.stdout).toMatch(/ERROR\s+Contact\s+OBJECT_PERMISSIONS_MISSING/);
      const report = await cli(['check', ...tokenArgs(), '--report']);
      expect(report.code).toBe(1);
      // The same words as the human output and the app's copied report: the core's.
      expect(report.stdout).toMatch(/HubSpot's connected app\n-+\n/);
      const underHeading = report.stdout.split(/HubSpot's connected app\n-+\n/)[1] ?? '';
      expect(underHeading.startsWith(CONNECTED_APPS_NOT_READ_MESSAGE)).toBe(true);
    } finally {
      for (const { set, modifyAllData, manageConnectedApps } of taken) {
        set.PermissionsModifyAllData = modifyAllData;
        set.PermissionsManageConnectedApps = manageConnectedApps;
      }
    }
  });

  it('an unknown fixture is a usage error listing the fixtures', async () => {
    const run = await cli(['check', '--demo', 'no-such-org']);
    expect(run.code).toBe(2);
    // Wrapped to the width (80 columns when stderr is not a terminal).
    expect(run.stderr.slice(0, run.stderr.indexOf('\n\n')).replace(/\s+/g, ' ')).toMatch(
      /^sync-doctor: Unknown demo fixture 'no-such-org'; choose one of: healthy, .*read-only-contacts/,
    );
    expect(run.stderr).toContain('Usage: sync-doctor check');
  });
});

describe('check against an org by instance URL and token', () => {
  it('diagnoses and exits 1 on findings', async () => {
    const run = await cli(['check', ...tokenArgs()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Read from ${sim.url}`);
    expect(run.stdout).toMatch(/Contact\s+✓\s+✗\s+✗/);
  });

  it('adds the fields of a requirements file', async () => {
    const file = join(dir, 'requirements.json');
    writeFileSync(
      file,
      JSON.stringify({
        fields: [
          { name: 'Contact.Birthdate', access: ['read', 'edit'], hubspotProperty: 'date_of_birth' },
        ],
      }),
    );
    const run = await cli(['check', ...tokenArgs(), '--requirements', file, '--json']);
    expect(run.code).toBe(1);
    const diagnosis = JSON.parse(run.stdout);
    expect(diagnosis.fields.map((f: { name: string }) => f.name)).toContain('Contact.Birthdate');
    expect(diagnosis.fields.map((f: { name: string }) => f.name)).toContain('Contact.Email');
  });

  it('an object the org does not have is "not in the org" in the Objects table, not a missing right', async () => {
    const file = join(dir, 'missing-object.json');
    writeFileSync(
      file,
      JSON.stringify({ objects: [{ name: 'Nope__c', access: ['read', 'edit'] }] }),
    );
    const run = await cli(['check', ...tokenArgs(), '--requirements', file]);
    expect(run.code).toBe(1);
    const row = run.stdout.split('\n').find((line) => line.trimStart().startsWith('Nope__c'));
    expect(row).toMatch(/not in the org/);
    expect(row).not.toMatch(/missing read|nothing grants it/);
  });

  it('reads a requirements file saved with a UTF-8 byte order mark (as Windows Notepad saves it)', async () => {
    const file = join(dir, 'with-bom.json');
    writeFileSync(
      file,
      '\uFEFF' + JSON.stringify({ fields: [{ name: 'Contact.Birthdate', access: ['read'] }] }),
    );
    const run = await cli(['check', ...tokenArgs(), '--requirements', file, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).fields.map((f: { name: string }) => f.name)).toContain(
      'Contact.Birthdate',
    );
  });

  it('a broken requirements file: exit 2, the file and the place named', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ fields: [{ name: 'Birthdate' }] }));
    const run = await cli(['check', ...tokenArgs(), '--requirements', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fields[0].name must be "Object.Field"');
  });

  it('the org out of API calls: exit 75 (retry later) with the reason code and what to do', async () => {
    sim.injectFault({ path: '/limits', fault: 'REQUEST_LIMIT_EXCEEDED' });
    const run = await cli(['check', ...tokenArgs()]);
    expect(run.code).toBe(75);
    expect(run.stderr).toContain(
      'Could not diagnose: API_LIMIT_EXCEEDED (REQUEST_LIMIT_EXCEEDED, HTTP 403)',
    );
    expect(run.stderr).toContain('What to do');
    expect(run.stdout).toBe('');
    const json = await cli(['check', ...tokenArgs(), '--json']);
    expect(json.code).toBe(75);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      reason: 'API_LIMIT_EXCEEDED',
      retryable: true,
    });
  });

  it('--json carries the failure on stdout too; Salesforce down (503) is retryable, exit 75', async () => {
    sim.injectFault({ path: '/composite', fault: 'SERVER_UNAVAILABLE' });
    const run = await cli(['check', ...tokenArgs(), '--json']);
    expect(run.code).toBe(75);
    expect(JSON.parse(run.stdout)).toEqual({
      schemaVersion: 1,
      error: expect.objectContaining({
        reason: 'ORG_UNAVAILABLE',
        errorCode: 'SERVER_UNAVAILABLE',
        statusCode: 503,
        retryable: true,
      }),
    });
    expect(run.stderr).toContain('may succeed if run again later (exit 75');
  });

  it("an expired token: exit 2 with advice about Sync Doctor's own session", async () => {
    const run = await cli([
      'check',
      '--instance-url',
      sim.url,
      '--access-token',
      'not-a-session',
      '--user',
      'x@acme.example',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('INVALID_SESSION_ID');
    expect(run.stderr).toContain('The session Sync Doctor used is expired or invalid');
  });

  it("a refused login with --json: SYNC_DOCTOR_LOGIN_FAILED, not one of HubSpot's reasons", async () => {
    const run = await cli(['check', '--instance-url', sim.url, '--access-token', 'BAD', '--json']);
    expect(run.code).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error).toEqual({
      errorCode: 'SYNC_DOCTOR_LOGIN_FAILED',
      salesforceErrorCode: 'INVALID_SESSION_ID',
      statusCode: 401,
      message: expect.any(String),
      retryable: false,
    });
    expect(run.stderr).toContain(
      'Could not diagnose: SYNC_DOCTOR_LOGIN_FAILED (INVALID_SESSION_ID, HTTP 401)',
    );
    expect(run.stderr).not.toContain('API_ACCESS_DISABLED');
  });

  it('an unknown user: exit 2 naming it', async () => {
    const run = await cli([
      'check',
      '--instance-url',
      sim.url,
      '--access-token',
      sim.accessToken,
      '--user',
      'ghost@acme.example',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("No user with username 'ghost@acme.example' in this org");
    expect(run.stderr).toContain('Check --user');
  });

  it('nothing listening: exit 75 (retry later), org unavailable', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const run = await cli(checkAt(`http://127.0.0.1:${port}`));
    expect(run.code).toBe(75);
    expect(run.stderr).toContain('Could not diagnose: ORG_UNAVAILABLE (ECONNREFUSED)');
  });
});

describe('redirects and silence', () => {
  // Where a redirect points: it must never see the token.
  let elsewhere: Server;
  let elsewhereUrl: string;
  let elsewhereAuth: (string | undefined)[];
  let redirecting: Server;
  let redirectingUrl: string;
  let redirectStatus: number;
  beforeAll(async () => {
    elsewhere = createHttpServer((req, res) => {
      elsewhereAuth.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    elsewhereUrl = await listen(elsewhere, '127.0.0.2');
    redirecting = createHttpServer((req, res) => {
      res.writeHead(redirectStatus, { location: `${elsewhereUrl}${req.url}` });
      res.end();
    });
    redirectingUrl = await listen(redirecting);
  });
  afterAll(async () => {
    for (const server of [elsewhere, redirecting]) await close(server);
  });
  beforeEach(() => {
    elsewhereAuth = [];
  });

  it.each([301, 302, 307])(
    'HTTP %i to another host: exit 2 naming it, the token never sent there',
    async (status) => {
      redirectStatus = status;
      // Without --user the integration user is looked for first (a POST composite), with it the snapshot is read.
      for (const user of [[], ['--user', 'u@acme.example']]) {
        const run = await cli([
          'check',
          '--instance-url',
          redirectingUrl,
          '--access-token',
          'SECRET-TOKEN',
          ...user,
          '--json',
        ]);
        expect(run.code).toBe(2);
        expect(elsewhereAuth).toEqual([]);
        expect(JSON.parse(run.stdout)).toEqual({
          schemaVersion: 1,
          error: {
            errorCode: 'REDIRECT_REFUSED',
            statusCode: status,
            message: expect.stringContaining(`a redirect to ${elsewhereUrl}/services/data/`),
            retryable: false,
          },
        });
        expect(run.stderr).toContain(`Could not diagnose: REDIRECT_REFUSED (HTTP ${status})`);
        expect(run.stderr).toContain('--instance-url');
        expect(run.stdout + run.stderr).not.toContain('SECRET-TOKEN');
      }
    },
  );

  // --timeout bounds each request, its body included: a server that sends headers and then
  // stalls is no better than one that never answers.
  it.each([
    ['never answers', () => undefined],
    [
      'sends headers and then stalls the body',
      (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        res.write('{"totalSize": 1, "done": true, "records": [');
      },
    ],
  ] as const)(
    'a server that %s: --timeout ends the wait with REQUEST_TIMEOUT naming the URL',
    async (_what, answer) => {
      const server = createHttpServer(answer);
      const url = await listen(server);
      try {
        const started = Date.now();
        const run = await cli([...checkAt(url), '--timeout', '1']);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(run.code).toBe(75);
        expect(run.stderr).toContain('Could not diagnose: REQUEST_TIMEOUT');
        expect(run.stderr).toMatch(
          new RegExp(`No answer from ${url}/services/data/v\\d+\\.\\d/\\S+ within 1 s`),
        );
        expect(run.stderr).toMatch(/allow longer with --timeout\s+SECONDS/);
      } finally {
        await close(server);
      }
    },
  );

  it('a connection dropped after the headers and part of the body: exit 75 with ECONNRESET at once, not REQUEST_TIMEOUT at the deadline', async () => {
    const dropping = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.write('{"totalSize": 1, "done": true, "records": [', () => res.socket?.destroy());
    });
    const droppingUrl = await listen(dropping);
    try {
      // A deadline longer than this test may run: only a failure at once can pass.
      const run = await cli([...checkAt(droppingUrl), '--timeout', '30', '--json']);
      expect(run.code).toBe(75);
      const { error } = JSON.parse(run.stdout) as { error: Record<string, unknown> };
      expect(error).toMatchObject({ errorCode: 'ECONNRESET', retryable: true });
      expect(error.errorCode).not.toBe('REQUEST_TIMEOUT');
      expect(error.message).toMatch(
        new RegExp(
          `The connection to ${droppingUrl}/services/data/v\\d+\\.\\d/\\S+ closed before the whole answer arrived`,
        ),
      );
    } finally {
      await close(dropping);
    }
  }, 20_000);
});

describe('interrupted', () => {
  it.each([
    ['SIGINT', 130, []],
    ['SIGTERM', 143, ['--json', '--junit']],
  ] as const)(
    '%s mid-run clears the spinner line, says so and exits %i (with %j, an error object on stdout and in the report)',
    async (signal, expected, flags) => {
      const report = join(dir, `interrupted-${signal}.xml`);
      const silent = createHttpServer(() => undefined);
      const silentUrl = await listen(silent);
      const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
      delete env.FORCE_COLOR;
      try {
        const child = spawn(
          NODE,
          [
            '--import',
            join(ROOT, 'apps', 'cli', 'test', 'ttyStderr.mjs'),
            BIN,
            ...checkAt(silentUrl),
            ...flags.flatMap((flag) => (flag === '--junit' ? [flag, report] : [flag])),
          ],
          { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        let stderr = '';
        const exited = new Promise<number | string | null>((done) =>
          child.on('close', (exitCode, sig) => done(exitCode ?? sig)),
        );
        // The spinner is drawn once the request is on its way; then the key is pressed.
        await new Promise<void>((ready) =>
          child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
            stderr += chunk;
            if (stderr.includes("reading u@acme.example's access")) ready();
          }),
        );
        child.kill(signal);
        expect(await exited).toBe(expected);
        expect(stderr).toMatch(
          new RegExp(
            `\\r\\u001b\\[Ksync-doctor: interrupted \\(${signal}\\) before the check finished; the org was only read, nothing in it changed\\.\\n$`,
          ),
        );
        // `timeout 300 sync-doctor check --json > out.json` leaves an error object, not an empty file.
        if (flags.length > 0)
          expect(JSON.parse(stdout)).toEqual({
            schemaVersion: 1,
            error: {
              errorCode: 'INTERRUPTED',
              message: expect.stringContaining(`interrupted (${signal})`),
              signal,
              retryable: true,
            },
          });
        else expect(stdout).toBe('');
        // A CI job cancelled or timed out: its test view says why, instead of missing the report.
        if (flags.length > 0) {
          const xml = readFileSync(report, 'utf8');
          expect(xml).toContain('errors="1"');
          expect(xml).toMatch(
            new RegExp(
              `<error message="Could not diagnose: interrupted \\(${signal}\\)[^"]*" type="INTERRUPTED">`,
            ),
          );
          expect(allCases(parseJunit(xml)).map((c) => c.error?.type)).toEqual(['INTERRUPTED']);
        } else expect(existsSync(report)).toBe(false);
      } finally {
        await close(silent);
      }
    },
  );
});

describe('output through a pipe', () => {
  it('--json reaches a late reader whole when stdout is asynchronous (macOS pipes), not cut at 64 KiB', async () => {
    // 400 mapped fields the org lacks: a Diagnosis of ~360 KB, several pipe buffers.
    const requirements = join(dir, 'many-fields.json');
    writeFileSync(
      requirements,
      JSON.stringify({
        fields: Array.from({ length: 400 }, (_, i) => ({
          name: `Contact.Missing_${i}__c`,
          access: ['read', 'edit'],
        })),
      }),
    );
    const preload = join(ROOT, 'apps', 'cli', 'test', 'nonBlockingStdout.mjs');
    const script =
      '"$0" --import "$1" "$2" check --demo read-only-contacts --requirements "$3" --json 2>/dev/null | (sleep 1; cat)';
    const out = await new Promise<string>((done, fail) =>
      execFile(
        'sh',
        ['-c', script, NODE, preload, BIN, requirements],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 25_000 },
        (error, stdout) =>
          error && typeof error.code !== 'number' ? fail(error) : done(String(stdout)),
      ),
    );
    expect(out.length).toBeGreaterThan(128 * 1024);
    const diagnosis = JSON.parse(out) as { findings: unknown[] };
    expect(diagnosis.findings.length).toBeGreaterThan(400);
  });
  it("a reader that stops early (| head): no EPIPE stack trace, and the exit code is still the diagnosis's", async () => {
    const requirements = join(dir, 'many-fields-head.json');
    writeFileSync(
      requirements,
      JSON.stringify({
        fields: Array.from({ length: 400 }, (_, i) => ({
          name: `Contact.Missing_${i}__c`,
          access: ['read', 'edit'],
        })),
      }),
    );
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    for (const format of ['--json', '--report']) {
      const child = spawn(
        NODE,
        [BIN, 'check', '--demo', 'read-only-contacts', '--requirements', requirements, format],
        { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      // As `head -c 100` does: take the first chunk, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | string | null>((done) =>
        child.on('close', (exitCode, signal) => done(exitCode ?? signal)),
      );
      expect(stderr).not.toMatch(/EPIPE|Unhandled 'error'|node:events/);
      expect(code).toBe(1);
    }
  });
  it('stdout that cannot be written (a full disk): exit 2 and one line saying so, not a stack trace and exit 1', async () => {
    const preload = join(ROOT, 'apps', 'cli', 'test', 'failingStdout.mjs');
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    // healthy exits 0 when its output is written: the 2 is the failed write's alone.
    const run = await new Promise<Run>((done) =>
      execFile(
        NODE,
        ['--import', preload, BIN, 'check', '--demo', 'healthy', '--json'],
        { cwd: ROOT, env, timeout: 25_000 },
        (error, stdout, stderr) =>
          done({
            code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'sync-doctor: could not write the output to stdout (ENOSPC), so it is incomplete',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('usage', () => {
  it('with --json a usage error is also a JSON error on stdout', async () => {
    const run = await cli(['check', '--demo', 'nope', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      schemaVersion: 1,
      error: {
        errorCode: 'BAD_USAGE',
        message: expect.stringMatching(/^Unknown demo fixture 'nope'/),
        retryable: false,
      },
    });
    expect(run.stderr.split('\n')[0]).toMatch(/^sync-doctor: Unknown demo fixture 'nope'/);
  });

  // What every usage mistake of check prints under its one line: the synopsis and where the rest
  // is, as git, npm and gh do, not the ~70 lines of --help that pushed the error off the screen.
  const CHECK_BRIEF = [
    'Usage: sync-doctor check --target-org ALIAS [options]',
    '       sync-doctor check --instance-url URL [--access-token TOKEN] [options]',
    '       sync-doctor check --jwt --client-id ID --key-file FILE --username USER',
    '       sync-doctor check --demo FIXTURE [options]',
    "Run 'sync-doctor check --help' for all options.",
    '',
  ].join('\n');

  it('bad flags: one line, the synopsis and where the help is, exit 2', async () => {
    const run = await cli(['check', '--demo', 'healthy', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`sync-doctor: Unknown option '--bogus'.\n\n${CHECK_BRIEF}`);
    expect(run.stdout).toBe('');
  });

  it('every kind of usage mistake is that short, and --json still gets the same error object', async () => {
    const mistakes: [string[], string][] = [
      [['--demo', 'healthy', '--bogus'], "Unknown option '--bogus'."],
      [['--demo'], '--demo needs a value'],
      [['--demo', 'healthy', '--demo', 'healthy'], '--demo is given twice: give it once'],
      [
        ['--demo', 'healthy', '--fail-on', 'info'],
        "--fail-on must be 'error' or 'warning', not 'info'",
      ],
      [
        [],
        'Say how to reach the org: --target-org, --instance-url with --access-token, --jwt, or --demo',
      ],
    ];
    for (const [args, message] of mistakes) {
      const run = await cli(['check', ...args]);
      // The message wrapped to the width (80 columns when stderr is not a terminal), then the brief.
      const [said, ...brief] = run.stderr.split('\n\n');
      expect([args, run.code, said!.replace(/\n/g, ' '), brief.join('\n\n')]).toEqual([
        args,
        2,
        `sync-doctor: ${message}`,
        CHECK_BRIEF,
      ]);
      for (const line of said!.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      const json = await cli(['check', ...args, '--json']);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toEqual({
        schemaVersion: 1,
        error: { errorCode: 'BAD_USAGE', message, retryable: false },
      });
      expect(json.stderr).not.toContain('Exit codes:');
    }
  });

  it('--help still prints every option and the exit codes, exit 0', async () => {
    const run = await cli(['check', '--help']);
    expect(run.code).toBe(0);
    // Fitted to 80 columns (stdout is no terminal here), every word kept.
    expect(run.stdout.replace(/\s+/g, ' ')).toBe(`${CHECK_USAGE.replace(/\s+/g, ' ')} `);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(run.stdout.startsWith(CHECK_BRIEF.split("\nRun '")[0]!)).toBe(true);
    for (const part of [
      '--requirements FILE',
      '--deadline DURATION',
      '--junit FILE',
      'Exit codes:',
    ])
      expect(run.stdout).toContain(part);
    expect(run.stdout.split('\n').length).toBeGreaterThan(60);
  });

  it('explain works from the command line', async () => {
    const run = await cli([
      'explain',
      'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ORG_LOCKED');
  });
});
