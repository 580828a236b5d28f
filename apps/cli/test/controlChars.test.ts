/**
 * What the org (a permission set label, a user's name) and the relay (HubSpot's e-mail excerpt)
 * say reaches the terminal of whoever runs the check. A control character in it must not: an
 * escape sequence can clear the screen, retitle the window or write the clipboard (OSC 52).
 */
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { main } from '../src/main.js';
import { renderFailure } from '../src/render/failure.js';
import { createStyle } from '../src/render/style.js';
import { memoryIo } from './support.js';

const HOSTILE = 'HubSpot \u001b]0;pwned\u0007\u001b[2J\u009b31m Perms';
let sim: OrgSimulator;

beforeAll(async () => {
  sim = await startOrgSimulator({ fixture: 'read-only-contacts', port: 0 });
  for (const set of sim.records('PermissionSet'))
    if (set.Name === 'HubSpot_Integration_Permissions') set.Label = HOSTILE;
  for (const user of sim.records('User'))
    if (user.Username === sim.integrationUser.Username) {
      user.FirstName = 'Eve\u001b[8m';
      user.Name = 'Eve\u001b[8m Integration';
    }
});
afterAll(() => sim.close());

async function run(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, stdout, stderr } = memoryIo({ tty: true, columns: 100, env: { NO_COLOR: '1' } });
  const args = ['--instance-url', sim.url, '--access-token', sim.accessToken];
  const user = ['--user', sim.integrationUser.Username];
  const code = await main(['check', ...args, ...user, ...extra], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

// C0 controls but tab and line feed, DEL and the C1 controls (U+009B is a one-character CSI).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("control characters from the org's data", () => {
  it('do not reach the human output', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(1);
    expect(stdout).toContain('HubSpot');
    expect(stdout).toContain('Perms');
    expect(stdout).not.toMatch(CONTROL);
  });

  it('do not reach the --report text', async () => {
    const { stdout } = await run('--report');
    expect(stdout).toContain('Perms');
    expect(stdout).not.toMatch(CONTROL);
  });

  it("do not reach stderr's notes either (who was chosen as the integration user)", async () => {
    const { io, stderr } = memoryIo({ env: { NO_COLOR: '1' } });
    await main(['check', '--instance-url', sim.url, '--access-token', sim.accessToken], io);
    expect(stderr()).toContain('Eve');
    expect(stderr()).not.toMatch(CONTROL);
  });

  it('nor a Salesforce error message on stderr', () => {
    const failure = { message: 'bad \u001b[2J row', errorCode: 'X', reason: 'UNKNOWN_ERROR' };
    const text = renderFailure(failure, createStyle(false), 80);
    expect(text).toContain('bad');
    expect(text).not.toMatch(CONTROL);
  });

  it('stay in --json, for programs: unchanged, the C0 ones escaped as JSON escapes them', async () => {
    const { stdout } = await run('--json');
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(JSON.stringify(JSON.parse(stdout))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });
});
