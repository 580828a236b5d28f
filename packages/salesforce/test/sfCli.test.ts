/**
 * `sfOrgDisplay` runs the Salesforce CLI as a process group of its own (POSIX), so stopping it at
 * its timeout ends what it started too, and the answer comes at the timeout.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sfOrgDisplay, stop, taskkillPath, type Spawner } from '../src/auth/sfCli.js';
import { running } from './processes.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-sfcli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

describe('sfOrgDisplay and a process that left the group', () => {
  /** Pids the tests' sf scripts left running in a session of their own: ended after each test. */
  const escaped: number[] = [];
  afterEach(() => {
    for (const pid of escaped.splice(0))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
  });

  /** Fails the test when `work` has not settled long before the escaped process (30 s) ends. */
  function within<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within 10 s`)), 10_000);
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }

  /** An sf whose child starts a session of its own (setsid), out of reach of the group kill, holding stdout. */
  function escapingSf(name: string): { sf: string; pidFile: string } {
    const pidFile = join(dir, `${name}.pid`);
    const sf = join(dir, name);
    writeFileSync(sf, `#!/bin/sh\nsetsid sleep 30 &\necho $! > '${pidFile}'\nwait\n`);
    chmodSync(sf, 0o755);
    return { sf, pidFile };
  }

  it('at its timeout: SF_CLI_TIMEOUT comes after a brief wait, not when that process ends', async () => {
    const { sf, pidFile } = escapingSf('sf-escaping-timeout');
    const displayed = sfOrgDisplay('acme', { binary: sf, timeoutMs: 300 }).catch(
      (error: unknown) => error,
    );
    const error = await within(displayed, 'sfOrgDisplay rejected');
    escaped.push(Number(readFileSync(pidFile, 'utf8')));
    expect(error).toMatchObject({ errorCode: 'SF_CLI_TIMEOUT' });
  }, 15_000);

  it('aborted: ABORTED, and its pipes are closed on this side (the process holding them meets a closed pipe)', async () => {
    // That process writes to sf's stdout until the pipe is closed (then SIGPIPE ends it).
    const pidFile = join(dir, 'sf-escaping-abort.pid');
    const sf = join(dir, 'sf-escaping-abort');
    writeFileSync(
      sf,
      `#!/bin/sh\nsetsid sh -c 'echo $$ > "${pidFile}"; while echo waiting; do sleep 0.1; done' &\nwait\n`,
    );
    chmodSync(sf, 0o755);
    const controller = new AbortController();
    const displayed = sfOrgDisplay('acme', {
      binary: sf,
      timeoutMs: 600_000,
      signal: controller.signal,
    }).catch((error: unknown) => error);
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '')
      await new Promise((resolve) => setTimeout(resolve, 20));
    const writer = Number(readFileSync(pidFile, 'utf8'));
    escaped.push(writer);
    controller.abort();
    expect(await within(displayed, 'sfOrgDisplay rejected')).toMatchObject({
      errorCode: 'ABORTED',
    });
    await within(
      (async () => {
        while (running(writer)) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      'the writer met the closed pipe',
    );
  }, 15_000);
});

describe('stopping the CLI: the process tree on Windows, the process group elsewhere', () => {
  interface Call {
    file: string;
    args: readonly string[];
    options: SpawnOptions;
    /** Whether the sf child had been killed already when this call was made. */
    childKilled?: boolean;
  }

  /** Where stop starts taskkill (this process's SystemRoot, C:\\Windows on Linux). */
  const TASKKILL = taskkillPath();

  /** A spawner that starts what it is asked for, except taskkill (not on Linux): `true` stands in for it. */
  function recordingSpawner() {
    const calls: Call[] = [];
    const children: ChildProcess[] = [];
    const spawner: Spawner = (file, args, options) => {
      calls.push({ file, args, options, childKilled: children[0]?.killed });
      if (file === TASKKILL) return spawn('true', [], { stdio: 'ignore' });
      const child = spawn(file, [...args], options);
      children.push(child);
      return child;
    };
    return { calls, children, spawner };
  }

  /** An sf that writes its pid and hangs (as sf.cmd, the name the Windows rules start). */
  function hangingSf(name: string): { sf: string; pidFile: string } {
    const pidFile = join(dir, `${name}.pid`);
    writeFileSync(join(dir, `${name}.cmd`), `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`);
    chmodSync(join(dir, `${name}.cmd`), 0o755);
    return { sf: join(dir, name), pidFile };
  }

  const leftovers: number[] = [];
  afterEach(() => {
    for (const pid of leftovers.splice(0))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
  });

  it('win32, at the timeout: taskkill /pid PID /T /F for the shell it started, hidden, then the shell killed too', async () => {
    const { sf, pidFile } = hangingSf('sf-win-hang');
    const { calls, children, spawner } = recordingSpawner();
    const error = await sfOrgDisplay('acme', {
      binary: sf,
      platform: 'win32',
      timeoutMs: 300,
      spawn: spawner,
    }).catch((e: unknown) => e);
    // On Linux the stand-in taskkill ends nothing: what sf started is ended here.
    if (existsSync(pidFile)) leftovers.push(Number(readFileSync(pidFile, 'utf8')));
    expect(error).toMatchObject({ errorCode: 'SF_CLI_TIMEOUT' });
    const shell = children[0]!;
    expect(calls).toEqual([
      expect.objectContaining({ file: `"${sf}.cmd" org display --target-org acme --json` }),
      {
        // By its full path, never the bare name a planted .\\taskkill.exe would answer to.
        file: TASKKILL,
        args: ['/pid', String(shell.pid), '/T', '/F'],
        options: { windowsHide: true, stdio: 'ignore' },
        childKilled: false,
      },
    ]);
    expect(calls[0]!.options).toMatchObject({ shell: true, detached: false });
    // The fallback after taskkill: the shell itself.
    expect(shell.signalCode).toBe('SIGKILL');
  }, 15_000);

  it('elsewhere, unchanged: a process group of its own, ended whole, and no taskkill', async () => {
    const pidFile = join(dir, 'posix-launched.pid');
    const sf = join(dir, 'sf-posix-launcher');
    writeFileSync(sf, `#!/bin/sh\nsleep 30 &\necho $! > '${pidFile}'\nwait\n`);
    chmodSync(sf, 0o755);
    const { calls, spawner } = recordingSpawner();
    await expect(
      sfOrgDisplay('acme', { binary: sf, platform: 'linux', timeoutMs: 300, spawn: spawner }),
    ).rejects.toMatchObject({ errorCode: 'SF_CLI_TIMEOUT' });
    expect(calls.map((call) => call.file)).toEqual([sf]);
    expect(calls[0]!.options).toMatchObject({ shell: false, detached: true });
    expect(running(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it("win32: taskkill is %SystemRoot%\\System32\\taskkill.exe, not a bare name the current directory's taskkill.exe would answer to", () => {
    const started: string[] = [];
    const child = { pid: 4242, kill: () => true };
    stop(
      child as never,
      'win32',
      (file) => {
        started.push(file);
        return new EventEmitter() as ChildProcess;
      },
      { SystemRoot: 'D:\\WINNT' },
    );
    expect(started).toEqual(['D:\\WINNT\\System32\\taskkill.exe']);
    expect(taskkillPath({ SystemRoot: 'C:\\Windows' })).toBe('C:\\Windows\\System32\\taskkill.exe');
    // Windows' environment is case-insensitive; a copy of it is not.
    expect(taskkillPath({ SYSTEMROOT: 'E:\\Windows\\' })).toBe(
      'E:\\Windows\\System32\\taskkill.exe',
    );
    // Unset, or not a drive's path (relative, empty, a share): C:\\Windows.
    for (const env of [
      {},
      { SystemRoot: '' },
      { SystemRoot: 'Windows' },
      { SystemRoot: '.\\tools' },
      { SystemRoot: '\\\\server\\share' },
    ])
      expect(taskkillPath(env)).toBe('C:\\Windows\\System32\\taskkill.exe');
  });

  it('win32: when taskkill cannot start, the child is killed all the same', () => {
    const killed: (NodeJS.Signals | number | undefined)[] = [];
    const child = { pid: 4242, kill: (signal?: NodeJS.Signals | number) => killed.push(signal) };
    const failing = new EventEmitter();
    stop(child as never, 'win32', () => failing as ChildProcess);
    expect(killed).toEqual([]);
    failing.emit('error', Object.assign(new Error('spawn taskkill ENOENT'), { code: 'ENOENT' }));
    expect(killed).toEqual(['SIGKILL']);
    stop(child as never, 'win32', () => {
      throw new Error('no spawn');
    });
    expect(killed).toEqual(['SIGKILL', 'SIGKILL']);
  });

  it('win32: the fallback kill comes once when taskkill reports both an error and its exit', () => {
    const killed: (NodeJS.Signals | number | undefined)[] = [];
    const child = { pid: 4242, kill: (signal?: NodeJS.Signals | number) => killed.push(signal) };
    const killer = new EventEmitter();
    stop(child as never, 'win32', () => killer as ChildProcess);
    killer.emit('error', new Error('taskkill failed'));
    killer.emit('exit', 1, null);
    expect(killed).toEqual(['SIGKILL']);
  });

  it.each([
    { exitCode: 0, signalCode: null },
    { exitCode: null, signalCode: 'SIGTERM' },
  ])(
    'win32: a shell that exited already ($exitCode, $signalCode) gets no taskkill, whose /T could end the tree of a process given its pid since',
    (ended) => {
      const killed: (NodeJS.Signals | number | undefined)[] = [];
      const child = {
        pid: 4242,
        ...ended,
        kill: (signal?: NodeJS.Signals | number) => killed.push(signal),
      };
      const started: string[] = [];
      stop(child as never, 'win32', (file) => {
        started.push(file);
        return new EventEmitter() as ChildProcess;
      });
      expect(started).toEqual([]);
    },
  );

  it('win32: an abort after the deadline stopped the CLI starts no second taskkill', async () => {
    const pidFile = join(dir, 'win-held.pid');
    // A launcher whose child holds the output pipe, so the run waits after the deadline's kill.
    writeFileSync(
      join(dir, 'sf-win-held.cmd'),
      `#!/bin/sh\nsleep 30 &\necho $! > '${pidFile}'\nwait\n`,
    );
    chmodSync(join(dir, 'sf-win-held.cmd'), 0o755);
    const { calls, spawner } = recordingSpawner();
    const controller = new AbortController();
    const pending = sfOrgDisplay('acme', {
      binary: join(dir, 'sf-win-held'),
      platform: 'win32',
      timeoutMs: 300,
      spawn: spawner,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    while (!calls.some((call) => call.file === TASKKILL))
      await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('stopped by the test'));
    await pending;
    if (existsSync(pidFile)) leftovers.push(Number(readFileSync(pidFile, 'utf8')));
    expect(calls.filter((call) => call.file === TASKKILL)).toHaveLength(1);
  }, 15_000);

  it('win32: output past the limit, chunk after chunk, starts one taskkill, not one a chunk', async () => {
    const pidFile = join(dir, 'win-loud.pid');
    writeFileSync(
      join(dir, 'sf-win-loud.cmd'),
      `#!/bin/sh\necho $$ > '${pidFile}'\nhead -c 6000000 /dev/zero\nexec sleep 30\n`,
    );
    chmodSync(join(dir, 'sf-win-loud.cmd'), 0o755);
    const { calls, spawner } = recordingSpawner();
    await sfOrgDisplay('acme', {
      binary: join(dir, 'sf-win-loud'),
      platform: 'win32',
      timeoutMs: 1000,
      spawn: spawner,
    }).catch((e: unknown) => e);
    if (existsSync(pidFile)) leftovers.push(Number(readFileSync(pidFile, 'utf8')));
    expect(calls.filter((call) => call.file === TASKKILL)).toHaveLength(1);
  }, 15_000);
});
