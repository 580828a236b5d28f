import {
  CHECK_USAGE,
  EXPLAIN_USAGE,
  MAIN_USAGE,
  parseCheckArgs,
  parseExplainArgs,
  usageBrief,
} from '../src/args.js';
import { suspensionLiftedClause } from '@sync-doctor/core';
import { UsageError } from '../src/io.js';
import { main } from '../src/main.js';
import { memoryIo } from './support.js';

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('check arguments', () => {
  it('reads each way to reach the org', () => {
    expect(parseCheckArgs(['--target-org', 'prod']).auth).toEqual({
      kind: 'sf-cli',
      targetOrg: 'prod',
    });
    expect(parseCheckArgs(['--demo', 'read-only-contacts', '--json']).auth).toEqual({
      kind: 'demo',
      fixture: 'read-only-contacts',
    });
    expect(
      parseCheckArgs([
        '--instance-url',
        'https://x.my.salesforce.com',
        '--access-token',
        't',
        '--user',
        'u@x.com',
      ]).auth,
    ).toEqual({
      kind: 'token',
      instanceUrl: 'https://x.my.salesforce.com',
      accessToken: 't',
    });
    expect(
      parseCheckArgs([
        '--jwt',
        '--client-id',
        'c',
        '--key-file',
        'k.pem',
        '--username',
        'a@x.com',
        '--login-url',
        'https://test.salesforce.com',
      ]).auth,
    ).toEqual({
      kind: 'jwt',
      clientId: 'c',
      keyFile: 'k.pem',
      username: 'a@x.com',
      loginUrl: 'https://test.salesforce.com',
    });
  });

  it('takes the access token from the environment too', () => {
    const args = parseCheckArgs(['--instance-url', 'https://x.my.salesforce.com', '--user', 'u'], {
      SYNC_DOCTOR_ACCESS_TOKEN: 'from-env',
    });
    expect(args.auth).toMatchObject({ accessToken: 'from-env' });
  });

  it('defaults --fail-on to error and accepts warning', () => {
    expect(parseCheckArgs(['--demo', 'healthy']).failOn).toBe('error');
    expect(parseCheckArgs(['--demo', 'healthy', '--fail-on', 'warning']).failOn).toBe('warning');
  });

  it('refuses bad flags with one line', () => {
    expect(usageError(() => parseCheckArgs(['--demo', 'x', '--bogus']))).toBe(
      "Unknown option '--bogus'.",
    );
    expect(usageError(() => parseCheckArgs(['--demo']))).toMatch(/--demo/);
    expect(usageError(() => parseCheckArgs(['--demo', 'x', '--fail-on', 'info']))).toBe(
      "--fail-on must be 'error' or 'warning', not 'info'",
    );
    expect(usageError(() => parseCheckArgs([]))).toMatch(/Say how to reach the org/);
    expect(usageError(() => parseCheckArgs(['--demo', 'x', '--target-org', 'y']))).toBe(
      'Choose one way to reach the org, not --target-org and --demo',
    );
    expect(
      usageError(() => parseCheckArgs(['--instance-url', 'https://x', '--user', 'u'])),
    ).toMatch(/--access-token/);
    // Without --user the integration user is looked for in the org, as with --target-org.
    expect(
      parseCheckArgs(['--instance-url', 'https://x', '--access-token', 't']).user,
    ).toBeUndefined();
    expect(usageError(() => parseCheckArgs(['--jwt', '--client-id', 'c']))).toBe(
      '--jwt needs --key-file, --username',
    );
    expect(usageError(() => parseCheckArgs(['--demo', 'x', '--client-id', 'c']))).toBe(
      '--client-id only goes with --jwt',
    );
    expect(usageError(() => parseCheckArgs(['--demo', 'x', 'extra']))).toBe(
      "Unexpected argument 'extra'",
    );
    expect(usageError(() => parseCheckArgs(['--demo', 'x', '--json', '--report']))).toBe(
      'Choose one of --json and --report',
    );
    expect(usageError(() => parseCheckArgs(['--demo', 'x', '--user', ' ']))).toBe(
      '--user needs a value',
    );
  });

  it('refuses an option with a value given twice, which silently took the last (another org, another user)', () => {
    // A pipeline template with `--target-org prod $EXTRA_ARGS` would check whatever came last.
    expect(
      usageError(() => parseCheckArgs(['--target-org', 'prod', '--target-org', 'staging'])),
    ).toBe('--target-org is given twice: give it once');
    expect(
      usageError(() =>
        parseCheckArgs(['--demo', 'healthy', '--fail-on=warning', '--fail-on', 'error']),
      ),
    ).toBe('--fail-on is given twice: give it once');
    // The values are not repeated: a token given twice would be printed.
    const token = '00D000000000001!AQ' + 'x'.repeat(90);
    const twice = usageError(() =>
      parseCheckArgs([
        '--instance-url',
        'https://x',
        '--access-token',
        token,
        '--access-token',
        't',
      ]),
    );
    expect(twice).toBe('--access-token is given twice: give it once');
    expect(
      usageError(() => parseCheckArgs(['--demo', 'x', '-q', '--user', 'a', '--user', 'b'])),
    ).toBe('--user is given twice: give it once');
    // A switch given twice says the same thing twice: accepted.
    expect(parseCheckArgs(['--demo', 'x', '--json', '--json', '-q', '--quiet']).json).toBe(true);
  });

  it('says a value is missing when the next word is another flag', () => {
    // node:util calls `--demo --json` "ambiguous"; to the user the value is missing.
    expect(usageError(() => parseCheckArgs(['--demo', '--json']))).toBe('--demo needs a value');
    expect(usageError(() => parseCheckArgs(['--demo']))).toBe('--demo needs a value');
    expect(usageError(() => parseCheckArgs(['--instance-url', '--access-token', 't']))).toBe(
      '--instance-url needs a value',
    );
  });

  it('reads --timeout in seconds, 60 unless given', () => {
    expect(parseCheckArgs(['--demo', 'healthy']).timeoutMs).toBe(60_000);
    expect(parseCheckArgs(['--demo', 'healthy', '--timeout', '5']).timeoutMs).toBe(5_000);
    expect(parseCheckArgs(['--demo', 'healthy', '--timeout', '0.5']).timeoutMs).toBe(500);
    // Under half a millisecond is still a deadline: 0 would mean none to the connection (60 s).
    expect(parseCheckArgs(['--demo', 'healthy', '--timeout', '0.0004']).timeoutMs).toBe(1);
    // Durations are --deadline's: --timeout keeps the plain seconds it always took.
    for (const bad of ['0', '-1', 'soon', '', '601', '90s', '5m']) {
      expect(usageError(() => parseCheckArgs(['--demo', 'healthy', `--timeout=${bad}`]))).toBe(
        `--timeout must be a number of seconds above 0 and at most 600, not '${bad}'`,
      );
    }
  });

  it('reads --deadline as a duration for the whole check, none unless given', () => {
    const deadline = (value: string) =>
      parseCheckArgs(['--demo', 'healthy', '--deadline', value]).deadlineMs;
    expect(parseCheckArgs(['--demo', 'healthy']).deadlineMs).toBeUndefined();
    expect(deadline('5')).toBe(5_000);
    expect(deadline('0.5')).toBe(500);
    expect(deadline('90s')).toBe(90_000);
    expect(deadline('5m')).toBe(300_000);
    expect(deadline('1m30s')).toBe(90_000);
    expect(deadline('1.5m')).toBe(90_000);
    expect(deadline('500ms')).toBe(500);
    expect(deadline('1h')).toBe(3_600_000);
    expect(deadline(' 2m ')).toBe(120_000);
    expect(deadline('1h0m0s0ms')).toBe(3_600_000);
    expect(deadline('2m0.5s')).toBe(120_500);
    expect(deadline('1s500ms')).toBe(1_500);
    // Under half a millisecond is still a deadline: 0 would read as none.
    expect(deadline('0.0004')).toBe(1);
    for (const bad of [
      '0',
      '0s',
      '-1',
      '-5m',
      'soon',
      '',
      '5x',
      '5 m',
      '1m30',
      'm',
      '2h',
      '3601',
      // A unit twice or out of order is a typo more likely than a sum.
      '1m1m',
      '30s1m',
      '1s500ms1s',
    ]) {
      expect(usageError(() => parseCheckArgs(['--demo', 'healthy', `--deadline=${bad}`]))).toBe(
        `--deadline takes a duration above 0 and at most 1h, such as 90s, 5m, 1m30s or plain seconds (90), not '${bad}'`,
      );
    }
  });

  it('takes --timeout and --deadline together, in any proportion (the deadline wins when shorter)', () => {
    const args = parseCheckArgs(['--demo', 'healthy', '--timeout', '600', '--deadline', '30s']);
    expect(args).toMatchObject({ timeoutMs: 600_000, deadlineMs: 30_000 });
    expect(
      parseCheckArgs(['--demo', 'healthy', '--timeout', '1', '--deadline', '5m']),
    ).toMatchObject({ timeoutMs: 1_000, deadlineMs: 300_000 });
  });

  it('reads --quiet and -q', () => {
    expect(parseCheckArgs(['--demo', 'healthy']).quiet).toBe(false);
    expect(parseCheckArgs(['--demo', 'healthy', '--quiet']).quiet).toBe(true);
    expect(parseCheckArgs(['--demo', 'healthy', '-q', '--json']).quiet).toBe(true);
  });

  it('lets --help through without the other flags', () => {
    expect(parseCheckArgs(['--help']).help).toBe(true);
    expect(parseCheckArgs(['-h']).help).toBe(true);
  });
});

describe('explain arguments', () => {
  it('joins the words to explain', () => {
    expect(parseExplainArgs(['object', 'permissions', 'missing']).text).toBe(
      'object permissions missing',
    );
    expect(parseExplainArgs(['--json', 'API_LIMIT_EXCEEDED'])).toEqual({
      help: false,
      json: true,
      text: 'API_LIMIT_EXCEEDED',
    });
  });

  it('needs something to explain', () => {
    expect(usageError(() => parseExplainArgs([]))).toMatch(/needs a reason code/);
    expect(usageError(() => parseExplainArgs(['--nope', 'x']))).toBe("Unknown option '--nope'.");
  });
});

describe('a failure no one planned for', () => {
  it('with --json still puts an error object on stdout, as every exit 2 does', async () => {
    const { main } = await import('../src/main.js');
    const out: string[] = [];
    const err: string[] = [];
    // An environment that cannot be read stands for any bug below the command line.
    const env = new Proxy({} as Record<string, string | undefined>, {
      get() {
        throw new Error('boom');
      },
    });
    const io = {
      stdout: { write: (c: string) => out.push(c) },
      stderr: { write: (c: string) => err.push(c) },
      env,
      cwd: process.cwd(),
    };
    const code = await main(
      ['check', '--instance-url', 'https://acme.my.salesforce.com', '--json'],
      io,
    );
    expect(code).toBe(2);
    expect(err.join('')).toContain('unexpected failure: boom');
    // An SRE reading the log knows whose fault it is and what to do.
    expect(err.join('')).toContain(
      'Sync Doctor did not foresee this (likely a fault of its own): run again, and if it comes back, report it with the lines above (sync-doctor 0.1.0, Node.js v',
    );
    expect(JSON.parse(out.join(''))).toEqual({
      schemaVersion: 1,
      error: { errorCode: 'UNEXPECTED_FAILURE', message: 'boom', retryable: false },
    });
  });
});

describe('help text', () => {
  it('a usage error shows the synopsis, within 80 columns, and where the whole help is', () => {
    expect(usageBrief('check')).toBe(
      `${CHECK_USAGE.split('\n\n')[0]}\nRun 'sync-doctor check --help' for all options.`,
    );
    expect(usageBrief('check').split('\n')).toHaveLength(5);
    for (const line of usageBrief('check').split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(usageBrief('explain')).toBe(
      `${EXPLAIN_USAGE.split('\n\n')[0]}\nRun 'sync-doctor explain --help' for all options.`,
    );
    for (const line of usageBrief('explain').split('\n'))
      expect(line.length).toBeLessThanOrEqual(80);
    // The command line's own: the commands, since the mistake is often the command's name.
    expect(usageBrief('main')).toContain('  check     Read the HubSpot integration user');
    expect(usageBrief('main')).not.toContain('Exit codes:');
    expect(MAIN_USAGE.startsWith(usageBrief('main').split('\n\nRun')[0]!)).toBe(true);
  });

  it('fits a 100-column terminal and says how to tell retry-later from fix-it failures', () => {
    for (const usage of [MAIN_USAGE, CHECK_USAGE, EXPLAIN_USAGE])
      for (const line of usage.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    for (const usage of [MAIN_USAGE, CHECK_USAGE]) {
      expect(usage).toMatch(/^ {2}2 {4}could not diagnose, and running again will not help/m);
      expect(usage).toMatch(/^ {2}75 {3}could not diagnose for now/m);
    }
    expect(CHECK_USAGE).toContain('"retryable": true | false');
  });

  it('says how a suspension ends by its reason, not always "until it is cleared in HubSpot"', () => {
    for (const usage of [MAIN_USAGE, CHECK_USAGE]) {
      const flat = usage.replace(/\s+/g, ' ');
      expect(flat).toContain(
        `the sync is stopped ${suspensionLiftedClause()}`.replace(/\s+/g, ' '),
      );
      expect(flat).toContain('by HubSpot itself, by reconnecting or by "Clear Suspension"');
      expect(flat).not.toContain('until it is cleared in HubSpot');
    }
  });

  it('documents --timeout per request as before, --deadline for the whole check, TIMED_OUT among the 75s, and --quiet', () => {
    expect(CHECK_USAGE).toMatch(
      /^ {2}--timeout SECONDS {5}give up on a Salesforce request not fully answered \(headers and body\)\n {24}after this long \(default 60\)$/m,
    );
    expect(CHECK_USAGE).toMatch(/^ {2}--deadline DURATION {3}give up on the whole check/m);
    expect(CHECK_USAGE).toContain('90s, 5m, 1m30s, 500ms or plain seconds (90)');
    expect(CHECK_USAGE).toMatch(/exits 75 with\s+TIMED_OUT/);
    expect(CHECK_USAGE).toMatch(/^ {2}-q, --quiet {11}no progress on stderr/m);
    expect(MAIN_USAGE).toContain('--deadline reached (TIMED_OUT)');
  });

  it('says what --requirements reads, what --junit refuses, and schemaVersion, as they behave', () => {
    const help = CHECK_USAGE.replace(/\s+/g, ' ');
    expect(help).toContain(
      '--requirements FILE JSON (UTF-8, or UTF-16 with a byte order mark; at most 10 MB) with extra requirements',
    );
    expect(help).toContain(
      'FILE is replaced whole, never left half-written; a symbolic link is followed, a device or a pipe (/dev/stdout) refused',
    );
    expect(help).toContain('starts with "schemaVersion": 1');
    // The key a pipeline reads to tell a partly checked "healthy" from an all-clear.
    expect(help).toContain(
      'the diagnosis\'s "unchecked" lists those checks, each with how to make it by hand ("byHand"), and is absent when all were made ("healthy" with it is partly checked)',
    );
    expect(help).toContain("--json-schema print the JSON Schema (draft-07) of --json's output");
    expect(help).toContain('An option given twice is refused');
  });
});

describe('--help fitted to the terminal', () => {
  const helps: [string[], string][] = [
    [['--help'], MAIN_USAGE],
    [['help', 'check'], CHECK_USAGE],
    [['check', '--help'], CHECK_USAGE],
    [['explain', '--help'], EXPLAIN_USAGE],
  ];
  const words = (text: string) => text.replace(/\s+/g, ' ').trim();

  it('at 80 columns (a pipe, or an 80-column terminal) no line passes 80, and every word stays', async () => {
    for (const [argv, usage] of helps) {
      const { io, stdout } = memoryIo({ columns: 80 });
      expect(await main(argv, io)).toBe(0);
      for (const line of stdout().split('\n'))
        expect([argv, line, line.length <= 80]).toEqual([argv, line, true]);
      expect(words(stdout())).toBe(words(usage));
      // An option's description stays under its column.
      if (usage === CHECK_USAGE)
        expect(stdout()).toMatch(
          /^ {2}--user USERNAME {7}the HubSpot integration user .*\n {24}\S/m,
        );
    }
  });

  it('on a terminal wide enough, as written', async () => {
    for (const [argv, usage] of helps) {
      const { io, stdout } = memoryIo({ columns: 140 });
      expect(await main(argv, io)).toBe(0);
      expect(stdout()).toBe(`${usage}\n`);
    }
  });
});
