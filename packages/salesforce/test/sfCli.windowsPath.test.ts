/**
 * On Windows the Salesforce CLI is started by the full path PATH gives it, never as the bare name
 * `sf.cmd`: cmd.exe looks for a bare name in the current directory before PATH, so an sf.cmd left
 * in the directory a check runs in (a cloned repository a CI job checked out) would have run and
 * been handed the org's session. Linux stands in for Windows here: the platform, the environment,
 * the file system's answers and the spawner are the test's.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { win32 } from 'node:path';
import { sfOnWindowsPath, sfOrgDisplay, type Spawner } from '../src/auth/sfCli.js';

/** The directory the check runs in: a cloned repository. */
const CWD = 'C:\\work\\repo';

/** A file system that holds `files`; a relative path is the current directory's, as on Windows. */
function fileSystem(...files: string[]): (path: string) => boolean {
  const held = new Set(files.map((file) => file.toLowerCase()));
  return (path) => held.has(win32.resolve(CWD, path).toLowerCase());
}

const ANSWER = {
  status: 0,
  result: { accessToken: '00Dxx!token', instanceUrl: 'https://acme.my.salesforce.com' },
};

/** A spawner that records what it is asked to start and answers as `sf org display --json` would. */
function answeringSpawner() {
  const calls: { file: string; args: readonly string[]; options: SpawnOptions }[] = [];
  const spawner: Spawner = (file, args, options) => {
    calls.push({ file, args, options });
    const pipe = () => Object.assign(new EventEmitter(), { destroy: () => undefined });
    const child = Object.assign(new EventEmitter(), {
      stdout: pipe(),
      stderr: pipe(),
      stdin: null,
      pid: 4242,
      exitCode: null,
      signalCode: null,
      kill: () => true,
    });
    setImmediate(() => {
      child.stdout.emit('data', Buffer.from(JSON.stringify(ANSWER)));
      child.emit('close', 0, null);
    });
    return child as unknown as ChildProcess;
  };
  return { calls, spawner };
}

describe('sfOrgDisplay on Windows', () => {
  it("starts PATH's sf.cmd by its full path, quoted, not the bare name the current directory's sf.cmd would answer to", async () => {
    const { calls, spawner } = answeringSpawner();
    const display = await sfOrgDisplay('acme', {
      platform: 'win32',
      env: { Path: 'C:\\Windows\\System32;C:\\Program Files\\sf\\bin' },
      isFile: fileSystem(`${CWD}\\sf.cmd`, 'C:\\Program Files\\sf\\bin\\sf.cmd'),
      spawn: spawner,
    });
    expect(display.accessToken).toBe('00Dxx!token');
    expect(calls.map((call) => call.file)).toEqual([
      '"C:\\Program Files\\sf\\bin\\sf.cmd" org display --target-org acme --json',
    ]);
    expect(calls[0]!.options).toMatchObject({ shell: true });
  });

  it('an empty or relative PATH entry is not the current directory: the next absolute one answers', async () => {
    const { calls, spawner } = answeringSpawner();
    await sfOrgDisplay('acme', {
      platform: 'win32',
      env: { PATH: ';.;.\\node_modules\\.bin;tools;C:\\npm' },
      isFile: fileSystem(
        `${CWD}\\sf.cmd`,
        `${CWD}\\node_modules\\.bin\\sf.cmd`,
        `${CWD}\\tools\\sf.cmd`,
        'C:\\npm\\sf.cmd',
      ),
      spawn: spawner,
    });
    expect(calls.map((call) => call.file)).toEqual([
      '"C:\\npm\\sf.cmd" org display --target-org acme --json',
    ]);
  });

  it('sf only in the current directory (or under it) is "not installed or not on PATH", and nothing is started', async () => {
    const { calls, spawner } = answeringSpawner();
    await expect(
      sfOrgDisplay('acme', {
        platform: 'win32',
        env: { PATH: ';.;tools' },
        isFile: fileSystem(`${CWD}\\sf.cmd`, `${CWD}\\tools\\sf.cmd`),
        spawn: spawner,
      }),
    ).rejects.toMatchObject({
      errorCode: 'SF_CLI_NOT_FOUND',
      message: expect.stringContaining("The Salesforce CLI ('sf') is not installed or not on PATH"),
    });
    expect(calls).toEqual([]);
  });

  it("the CLI's environment tells cmd.exe not to look in the current directory either (NoDefaultCurrentDirectoryInExePath); elsewhere the bare name, as before", async () => {
    const { calls, spawner } = answeringSpawner();
    await sfOrgDisplay('acme', {
      platform: 'win32',
      env: { PATH: 'C:\\npm', HOME: 'C:\\Users\\ada' },
      isFile: fileSystem('C:\\npm\\sf.cmd'),
      spawn: spawner,
    });
    expect(calls[0]!.options.env).toEqual({
      PATH: 'C:\\npm',
      HOME: 'C:\\Users\\ada',
      SF_JSON_TO_STDOUT: 'true',
      NoDefaultCurrentDirectoryInExePath: '1',
    });
    // POSIX: the bare name, which the system looks for on PATH alone, and no Windows variable.
    await sfOrgDisplay('acme', {
      platform: 'linux',
      env: { PATH: '/usr/bin' },
      isFile: () => false,
      spawn: spawner,
    });
    expect([calls[1]!.file, calls[1]!.args]).toEqual([
      'sf',
      ['org', 'display', '--target-org', 'acme', '--json'],
    ]);
    expect(calls[1]!.options.env).toEqual({ PATH: '/usr/bin', SF_JSON_TO_STDOUT: 'true' });
  });
});

describe('sfOnWindowsPath', () => {
  it('sf.cmd before sf.exe in each directory, directories in order', () => {
    const exists = fileSystem('C:\\a\\sf.exe', 'C:\\b\\sf.cmd');
    expect(sfOnWindowsPath('sf', { PATH: 'C:\\a;C:\\b' }, exists)).toBe('C:\\a\\sf.exe');
    expect(sfOnWindowsPath('sf', { PATH: 'C:\\b;C:\\a' }, exists)).toBe('C:\\b\\sf.cmd');
    // A name with its extension is looked for as it is.
    expect(sfOnWindowsPath('sf.cmd', { PATH: 'C:\\a;C:\\b' }, exists)).toBe('C:\\b\\sf.cmd');
  });

  it("PATH by any case, an entry in quotes, a share's path", () => {
    expect(
      sfOnWindowsPath(
        'sf',
        { path: '"C:\\Program Files\\sf\\bin"' },
        fileSystem('C:\\Program Files\\sf\\bin\\sf.cmd'),
      ),
    ).toBe('C:\\Program Files\\sf\\bin\\sf.cmd');
    expect(
      sfOnWindowsPath('sf', { PATH: '\\\\server\\tools' }, fileSystem('\\\\server\\tools\\sf.cmd')),
    ).toBe('\\\\server\\tools\\sf.cmd');
  });

  it("passes over what is not a drive's or a share's path, and a % cmd.exe would expand", () => {
    const exists = fileSystem(
      `${CWD}\\sf.cmd`,
      'C:\\sf.cmd',
      'C:\\100%\\sf.cmd',
      `${CWD}\\bin\\sf.cmd`,
    );
    for (const PATH of ['', ';', '.', '..\\repo', 'bin', 'C:', 'C:bin', '\\', 'C:\\100%'])
      expect(sfOnWindowsPath('sf', { PATH }, exists)).toBeUndefined();
    expect(sfOnWindowsPath('sf', {}, exists)).toBeUndefined();
  });
});
