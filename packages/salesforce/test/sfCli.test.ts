/**
 * `sfOrgDisplay` runs the Salesforce CLI as a process group of its own (POSIX), so stopping it at
 * its timeout ends what it started too, and the answer comes at the timeout.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sfOrgDisplay } from '../src/auth/sfCli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-sfcli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Still running: not gone, and not a zombie waiting for a parent to reap it. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return state.trim() !== '' && !state.trim().startsWith('Z');
}

describe('sfOrgDisplay', () => {
  it("stops at its timeout an sf launched through a script, with the script's own child, and answers then", async () => {
    // An installer's launcher that starts node without exec: the process killed at the timeout
    // was only the script, and node, holding the output pipe, kept the answer for 30 s.
    const pidFile = join(dir, 'launched.pid');
    const sf = join(dir, 'sf-launcher');
    writeFileSync(sf, `#!/bin/sh\nsleep 30 &\necho $! > '${pidFile}'\nwait\n`);
    chmodSync(sf, 0o755);
    await expect(sfOrgDisplay('acme', { binary: sf, timeoutMs: 500 })).rejects.toMatchObject({
      errorCode: 'SF_CLI_TIMEOUT',
    });
    const launched = Number(readFileSync(pidFile, 'utf8'));
    expect(running(launched)).toBe(false);
  });
});
