import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REASON_CODES, SUSPENSION_REASONS } from '@sync-doctor/core';
import { FIXTURE_NAMES } from '@sync-doctor/org-simulator';
import { findExplanation } from '../src/commands/explain.js';
import { main } from '../src/main.js';
import { memoryIo } from './support.js';

describe('findExplanation', () => {
  it('finds a reason by its code, in any case', () => {
    expect(findExplanation('OBJECT_PERMISSIONS_MISSING')).toMatchObject({
      matchedBy: 'code',
      reason: { code: 'OBJECT_PERMISSIONS_MISSING' },
    });
    expect(findExplanation(' object_permissions_missing ')).toMatchObject({
      matchedBy: 'code',
      reason: { code: 'OBJECT_PERMISSIONS_MISSING' },
    });
  });

  it.each([
    ['Salesforce org API limit exceeded', 'API_LIMIT_EXCEEDED'],
    ['API access disabled', 'API_ACCESS_DISABLED'],
    ['Unknown error', 'UNKNOWN_ERROR'],
    ['object permissions missing', 'OBJECT_PERMISSIONS_MISSING'],
    // Words the classifier does not place, but HubSpot's heading without its "Salesforce".
    ['org locked', 'ORG_LOCKED'],
    ['server error', 'SERVER_ERROR'],
  ])("reads words (%j) as HubSpot's heading, not as a reason code", (text, code) => {
    expect(findExplanation(text)).toMatchObject({
      matchedBy: 'notification',
      language: 'en',
      reason: { code },
    });
  });

  it('recognises a Danish HubSpot notification through the core classifier', () => {
    const match = findExplanation(
      `Din Salesforce-integration er suspenderet: ${SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.da}`,
    );
    expect(match).toMatchObject({
      matchedBy: 'notification',
      language: 'da',
      reason: { code: 'API_LIMIT_EXCEEDED' },
    });
  });

  it('recognises a Salesforce error', () => {
    expect(
      findExplanation('UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record'),
    ).toMatchObject({ reason: { code: 'ORG_LOCKED' } });
    expect(findExplanation('REQUEST_LIMIT_EXCEEDED')).toMatchObject({
      reason: { code: 'API_LIMIT_EXCEEDED' },
    });
  });

  it('takes text that opens with a Salesforce error code as that error, not as a notification', () => {
    // Their words ("limit exceeded", "disabled", "lock") would pass for a notification's too.
    expect(findExplanation('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.')).toMatchObject({
      matchedBy: 'salesforce-error',
      reason: { code: 'API_LIMIT_EXCEEDED' },
    });
    expect(
      findExplanation('API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner'),
    ).toMatchObject({
      matchedBy: 'salesforce-error',
      reason: { code: 'API_ACCESS_DISABLED' },
    });
    expect(
      findExplanation('UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record'),
    ).toMatchObject({ matchedBy: 'salesforce-error' });
    expect(findExplanation('  REQUEST_LIMIT_EXCEEDED ')).toMatchObject({
      matchedBy: 'salesforce-error',
    });
    // An English notification still reads as one.
    expect(
      findExplanation(
        `Your Salesforce integration is suspended: ${SUSPENSION_REASONS.API_LIMIT_EXCEEDED.titles.en}`,
      ),
    ).toMatchObject({ matchedBy: 'notification' });
  });

  it('admits when it cannot place the text', () => {
    expect(findExplanation('the weather is nice today')).toBeNull();
  });
});

describe('sync-doctor explain', () => {
  it('prints the entry and exits 0', async () => {
    const { io, stdout } = memoryIo();
    expect(await main(['explain', 'FIELD_PERMISSIONS_MISSING'], io)).toBe(0);
    expect(stdout()).toContain(SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.titles.en);
    expect(stdout()).toContain('What to do');
    expect(stdout()).toContain(
      SUSPENSION_REASONS.FIELD_PERMISSIONS_MISSING.remedy[0]!.slice(0, 30),
    );
  });

  it('--json says a pasted Salesforce error was matched as one', async () => {
    const { io, stdout } = memoryIo();
    expect(
      await main(['explain', '--json', 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded'], io),
    ).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({
      matchedBy: 'salesforce-error',
      reason: { code: 'API_LIMIT_EXCEEDED' },
    });
  });

  it.each(['Salesforce org API limit exceeded', 'API access disabled', 'Unknown error'])(
    'says a HubSpot heading (%j) was recognised as one, not as a reason code',
    async (heading) => {
      const { io, stdout } = memoryIo();
      expect(await main(['explain', heading], io)).toBe(0);
      expect(stdout()).toContain('Recognised as a HubSpot suspension notification (en).');
      expect(stdout()).not.toContain('reason code');
    },
  );

  it('says a reason code was recognised as one', async () => {
    const { io, stdout } = memoryIo();
    expect(await main(['explain', 'UNKNOWN_ERROR'], io)).toBe(0);
    expect(stdout()).toContain('Recognised as a reason code.');
  });

  it('prints JSON with --json', async () => {
    const { io, stdout } = memoryIo();
    expect(await main(['explain', '--json', 'API_ACCESS_DISABLED'], io)).toBe(0);
    const parsed = JSON.parse(stdout());
    expect(parsed).toMatchObject({
      matchedBy: 'code',
      language: null,
      reason: { code: 'API_ACCESS_DISABLED' },
    });
  });

  it('exits 2 with the codes when nothing matches', async () => {
    const { io, stderr } = memoryIo();
    expect(await main(['explain', 'lorem ipsum'], io)).toBe(2);
    expect(stderr()).toContain('Not recognised');
    expect(stderr()).toContain('API_LIMIT_EXCEEDED');
  });

  it('with --json, nothing matching is match: null and an error object like every exit 2', async () => {
    const { io, stdout } = memoryIo();
    expect(await main(['explain', 'lorem ipsum', '--json'], io)).toBe(2);
    expect(JSON.parse(stdout())).toEqual({
      match: null,
      error: { errorCode: 'NOT_RECOGNISED', message: expect.any(String), retryable: false },
    });
  });

  it('echoes unrecognised pasted text with its control characters shown, not obeyed', async () => {
    const { io, stderr } = memoryIo();
    // An e-mail's text may carry escape sequences: here one that would retitle the terminal.
    expect(await main(['explain', 'lorem \u001b]0;pwned\u0007 ipsum'], io)).toBe(2);
    expect(stderr()).toContain("'lorem \uFFFD]0;pwned\uFFFD ipsum'");
    expect(stderr()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('exits 2 with usage when given nothing', async () => {
    const { io, stderr } = memoryIo();
    expect(await main(['explain'], io)).toBe(2);
    expect(stderr()).toMatch(
      /^sync-doctor: explain needs a reason code or the text to explain\n\nUsage: sync-doctor explain [^]*?\nRun 'sync-doctor explain --help' for all options\.\n$/,
    );
  });
});

describe('top level', () => {
  it('prints help and version', async () => {
    const help = memoryIo();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.stdout()).toContain('Commands:');
    const checkHelp = memoryIo();
    expect(await main(['check', '--help'], checkHelp.io)).toBe(0);
    expect(checkHelp.stdout()).toContain('--fail-on LEVEL');
    const explainHelp = memoryIo();
    expect(await main(['explain', '--help'], explainHelp.io)).toBe(0);
    expect(explainHelp.stdout()).toMatch(/^Usage: sync-doctor explain/);
    const version = memoryIo();
    expect(await main(['--version'], version.io)).toBe(0);
    // CLI_VERSION is a constant: a release that raises package.json alone must fail here.
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version.stdout()).toBe(`${pkg.version}\n`);
  });

  it('with --json, a usage error is a JSON error on stdout too, and the human message stays on stderr', async () => {
    const cases: [string[], unknown][] = [
      [['check', '--demo', 'healthy', '--bogus', '--json'], "Unknown option '--bogus'."],
      [
        ['check', '--demo', 'healthy', '--fail-on', 'info', '--json'],
        "--fail-on must be 'error' or 'warning', not 'info'",
      ],
      [['check', '--demo', '--json'], '--demo needs a value'],
      [
        ['check', '--demo', 'nope', '--json'],
        expect.stringMatching(/^Unknown demo fixture 'nope'; choose one of: /),
      ],
      [
        ['check', '--instance-url', 'not a url', '--access-token', 't', '--user', 'u', '--json'],
        "--instance-url is not a URL: 'not a url'",
      ],
      [
        [
          'check',
          '--instance-url',
          'http://acme.my.salesforce.com',
          '--access-token',
          't',
          '--json',
        ],
        expect.stringMatching(/^--instance-url must use https/),
      ],
      [['explain', '--json'], 'explain needs a reason code or the text to explain'],
    ];
    for (const [argv, message] of cases) {
      const { io, stdout, stderr } = memoryIo();
      expect(await main(argv, io)).toBe(2);
      expect(JSON.parse(stdout())).toEqual({
        schemaVersion: 1,
        error: { errorCode: 'BAD_USAGE', message, retryable: false },
      });
      expect(stderr()).toMatch(/^sync-doctor: [^]+?\n\nUsage: sync-doctor /);
    }
    // Without --json, stdout stays empty.
    const plain = memoryIo();
    expect(await main(['check', '--demo', 'healthy', '--bogus'], plain.io)).toBe(2);
    expect(plain.stdout()).toBe('');
  });

  it('names the --login-url flag in its mistakes', async () => {
    const { io, stderr } = memoryIo();
    const argv = [
      'check',
      '--jwt',
      '--client-id',
      'c',
      '--key-file',
      'k.pem',
      '--username',
      'a@x.com',
      '--login-url',
      'login.salesforce.com',
      '--user',
      'u',
    ];
    expect(await main(argv, io)).toBe(2);
    // Wrapped to the width (80 columns when stderr is not a terminal).
    expect(stderr().split('\n\n')[0]).toBe(
      "sync-doctor: --login-url is not a URL: 'login.salesforce.com': put https:// in\nfront of it",
    );
  });

  it('exits 2 on an unknown command or a missing one', async () => {
    const unknown = memoryIo();
    expect(await main(['diagnose'], unknown.io)).toBe(2);
    expect(unknown.stderr().split('\n')[0]).toBe("sync-doctor: Unknown command 'diagnose'");
    const none = memoryIo();
    expect(await main([], none.io)).toBe(2);
    expect(none.stderr()).toContain('Usage: sync-doctor <command>');
    // The commands and where the rest is; not the exit codes, which --help has.
    expect(unknown.stderr()).toContain(
      "Run 'sync-doctor --help' for all options and the exit codes.",
    );
    expect(unknown.stderr()).toContain('  explain   Explain');
    expect(unknown.stderr()).not.toContain('Exit codes:');
  });
});

describe('explain and usage errors, as an admin reads them at 80 columns', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

  it('says "Clear Suspension" once when a remedy step already says it', async () => {
    const { io, stdout } = memoryIo({ columns: 80 });
    expect(await main(['explain', 'Salesforce org API limit exceeded'], io)).toBe(0);
    expect(stdout().match(/Clear Suspension/g)).toHaveLength(1);
    expect(stdout()).toMatch(/5\. When calls are available again, click "Clear Suspension"/);
  });

  it('keeps each "Where to look" address whole, on one line', async () => {
    for (const code of REASON_CODES) {
      const { io, stdout } = memoryIo({ columns: 80 });
      expect(await main(['explain', code], io)).toBe(0);
      const lines = stdout().split('\n');
      for (const place of SUSPENSION_REASONS[code].whereToLook)
        if (place.url) expect(lines.some((line) => line.includes(place.url!))).toBe(true);
      // Only a line holding an address may pass the width: cut, it could not be clicked.
      for (const line of lines)
        if ([...line].length > 80) expect(line.trim()).toMatch(/^\(?https:\/\/\S+\)?$/);
    }
  });

  it('wraps the reason codes of an unrecognised text to the width, every code whole', async () => {
    const { io, stderr } = memoryIo();
    expect(await main(['explain', 'nothing Sync Doctor knows'], io)).toBe(2);
    expect(widest(stderr())).toBeLessThanOrEqual(80);
    const listed = stderr().slice(stderr().indexOf('Reason codes: ')).replace(/\s+/g, ' ');
    for (const code of REASON_CODES) expect(listed).toMatch(new RegExp(`\\b${code}\\b`));
  });

  it('wraps the fixtures of an unknown --demo to the width, every fixture whole', async () => {
    const { io, stderr } = memoryIo();
    expect(await main(['check', '--demo', 'nope'], io)).toBe(2);
    expect(widest(stderr())).toBeLessThanOrEqual(80);
    const said = stderr().slice(0, stderr().indexOf('\n\n')).replace(/\s+/g, ' ');
    expect(said).toMatch(/^sync-doctor: Unknown demo fixture 'nope'; choose one of: healthy, /);
    for (const name of FIXTURE_NAMES) expect(said).toMatch(new RegExp(`[ :]${name}(,|$)`));
  });
});
