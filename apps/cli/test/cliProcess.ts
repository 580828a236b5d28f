/**
 * The built CLI as a child process (the e2e tests against the simulator), and the simulator
 * fixture change those tests share.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { FixtureChange, OrgSimulator } from '@sync-doctor/org-simulator';

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const BIN = join(ROOT, 'apps', 'cli', 'dist', 'bin.js');

/** Runs dist/bin.js with `args` from the repository root, colours off; never rejects. */
export function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return new Promise((done) => {
    execFile(NODE, [BIN, ...args], { cwd: ROOT, env, timeout: 25_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The admin the simulator's token reads as, without Manage Users (its other rights kept). */
export const NO_MANAGE_USERS: FixtureChange = {
  op: 'setSystemPermission',
  profile: 'System Administrator',
  permission: 'PermissionsManageUsers',
  value: false,
};

/** `check` against the simulator, as its integration user with the simulator's token. */
export const checkArgs = (sim: OrgSimulator) => [
  'check',
  '--instance-url',
  sim.url,
  '--access-token',
  sim.accessToken,
  '--user',
  sim.integrationUser.Username,
];
