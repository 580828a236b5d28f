/**
 * A secret given in the wrong place on the command line must not come back out in the error that
 * says so: CI logs keep stderr, --json goes to other tools, --junit is published as an artefact.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../src/main.js';
import { memoryIo } from './support.js';

const ROOT = resolve(__dirname, '..', '..', '..');

// The shape of a Salesforce session id: the org id, '!', the secret.
const TOKEN = '00D5g0000000001!AQeoI0DP4zX5wUvuuQcHwONl1fohabyJcfe0S4QnlLUODlpk0Y';
const SECRET_PART = 'AQeoI0DP4zX5wUvuuQcHwONl1fohabyJcfe0S4QnlLUODlpk0Y';
const KEY = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
// A line from the middle of the key: any of it printed is too much.
const KEY_LINE = KEY.split('\n')[2]!;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-secrets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const { io, stdout, stderr } = memoryIo();
  const junit = join(dir, `report-${Math.random().toString(16).slice(2)}.xml`);
  const code = await main([...argv, '--json', '--junit', junit], io);
  const all = `${stderr()}\n${stdout()}\n${readFileSync(junit, 'utf8')}`;
  return { code, all, stderr: stderr(), stdout: stdout() };
}

/** The message before the synopsis, its lines (wrapped to 80 columns, each no wider) joined. */
function firstParagraph(text: string): string {
  const said = text.split('\n\n')[0]!;
  for (const line of said.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  return said.replace(/\n/g, ' ');
}

describe('secrets given in the wrong place', () => {
  it('the access token given to --instance-url (the two swapped) is not printed', async () => {
    const { code, all, stdout } = await run([
      'check',
      '--instance-url',
      TOKEN,
      '--access-token',
      'https://acme.my.salesforce.com',
    ]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error.errorCode).toBe('BAD_USAGE');
    expect(all).toContain('--instance-url is not a URL');
    // @sync-doctor/salesforce's message describes the value by its length, never quotes it.
    expect(all).toContain(
      `--instance-url is not a URL: the value given (${TOKEN.length} characters, not shown: it may be a secret)`,
    );
    expect(all).not.toContain(SECRET_PART);
  });

  it('an access token given without its flag is not printed', async () => {
    const { io, stdout, stderr } = memoryIo();
    const code = await main(
      ['check', '--instance-url', 'https://acme.my.salesforce.com', TOKEN, '--json'],
      io,
    );
    expect(code).toBe(2);
    expect(stderr()).toContain('Unexpected argument');
    expect(`${stderr()}${stdout()}`).not.toContain(SECRET_PART);
  });

  it("the private key's text given to --key-file is refused without printing it", async () => {
    const { io, stdout, stderr } = memoryIo();
    const code = await main(
      [
        'check',
        '--jwt',
        '--client-id',
        '3MVG9test',
        '--username',
        'admin@acme.example',
        `--key-file=${KEY}`,
        '--json',
      ],
      io,
    );
    expect(code).toBe(2);
    expect(firstParagraph(stderr())).toBe(
      'sync-doctor: --key-file takes the path of the private key file, not the key itself (not shown here): write the key to a file and pass its path',
    );
    expect(JSON.parse(stdout()).error.errorCode).toBe('BAD_USAGE');
    expect(`${stderr()}${stdout()}`).not.toContain(KEY_LINE);
    expect(`${stderr()}${stdout()}`).not.toContain('BEGIN PRIVATE KEY');
  });

  it.each([
    ['a line break (a copy from a wrapped terminal)', `${TOKEN.slice(0, 30)}\n${TOKEN.slice(30)}`],
    ['a typographic character', `${TOKEN}\u2019`],
  ])(
    'an access token with %s is refused as such, not sent and quoted back by the HTTP layer',
    async (_what, token) => {
      for (const [argv, env] of [
        [['--access-token', token], {}],
        [[], { SYNC_DOCTOR_ACCESS_TOKEN: token }],
      ] as const) {
        const { io, stdout, stderr } = memoryIo({ env });
        const code = await main(
          ['check', '--instance-url', 'https://acme.my.salesforce.com', ...argv, '--json'],
          io,
        );
        expect(code).toBe(2);
        const flag = argv.length > 0 ? '--access-token' : 'SYNC_DOCTOR_ACCESS_TOKEN';
        // No sf on this PATH; the repository's (npm ci) is reached through npx.
        expect(firstParagraph(stderr())).toBe(
          `sync-doctor: ${flag} holds a space, a line break or a character outside ASCII, which no session id has (it is not shown here): copy it again, in one line (npx sf org auth show-access-token)`,
        );
        expect(JSON.parse(stdout()).error.errorCode).toBe('BAD_USAGE');
        expect(`${stderr()}${stdout()}`).not.toContain(SECRET_PART.slice(20));
      }
    },
  );

  it("an access token pasted with 'Bearer ' is refused with what to give instead", async () => {
    const { io, stderr } = memoryIo();
    const code = await main(
      [
        'check',
        '--instance-url',
        'https://acme.my.salesforce.com',
        '--access-token',
        `Bearer ${TOKEN}`,
      ],
      io,
    );
    expect(code).toBe(2);
    expect(firstParagraph(stderr())).toBe(
      "sync-doctor: --access-token takes the session id alone, without 'Bearer '",
    );
  });

  it.each([
    ['a Salesforce session id', TOKEN, SECRET_PART],
    [
      'a HubSpot private app token',
      'pat-na1-3c1e7a52-9d4b-4f0e-8a61-2b7c5d9e0f13',
      '3c1e7a52-9d4b',
    ],
  ])(
    '%s given to --user (a swapped pipeline variable) is not repeated by progress, the error, --json or --junit',
    async (_what, secret, part) => {
      const { code, all, stdout } = await run(['check', '--demo', 'healthy', '--user', secret]);
      expect(code).toBe(2);
      expect(JSON.parse(stdout).error.errorCode).toBe('USER_NOT_FOUND');
      expect(all).toContain(`the value given (${secret.length} characters, not shown`);
      expect(all).not.toContain(part);
    },
  );

  it('a session id given to --target-org is not repeated by the progress line', async () => {
    // A child process, so the package looks for sf on a PATH that has none.
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done) =>
      execFile(
        join(ROOT, 'node_modules', '.bin', 'node'),
        [join(ROOT, 'apps', 'cli', 'dist', 'bin.js'), 'check', '--target-org', TOKEN, '--json'],
        { cwd: dir, env: { PATH: dir, NO_COLOR: '1' }, timeout: 25_000 },
        (_error, out, err) => done({ stdout: String(out), stderr: String(err) }),
      ),
    );
    expect(JSON.parse(stdout).error.errorCode).toBe('SF_CLI_NOT_FOUND');
    expect(stderr).toContain('asking the Salesforce CLI for the value given (');
    expect(`${stderr}${stdout}`).not.toContain(SECRET_PART);
  });

  it('a username or alias is still named', async () => {
    const { all } = await run(['check', '--demo', 'healthy', '--user', 'ghost@acme.example']);
    expect(all).toContain("reading ghost@acme.example's access");
    expect(all).toContain("No user with username 'ghost@acme.example'");
  });
});
