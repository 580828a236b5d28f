import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename, win32 } from 'node:path';
import { InputError, SalesforceError, abortedError } from '../errors.js';
import { describeGiven, scrubSecrets, showable } from '../secrets.js';

/**
 * How the messages spell the Salesforce CLI in the commands they suggest, so a command works when
 * pasted: `npx sf` for one installed as a project's dev dependency (node_modules/.bin is on PATH
 * only inside npx and npm scripts), plain `sf` for one installed globally (the default).
 */
export type SfCommand = 'sf' | 'npx sf';

/** How to install the Salesforce CLI so that `sf` runs as the messages spell it. */
function installAdvice(sf: SfCommand): string {
  return sf === 'npx sf'
    ? 'npm install --save-dev @salesforce/cli in the project, which npx sf then runs'
    : 'npm install --global @salesforce/cli';
}

/**
 * The alias in a command the messages suggest: as given when it clearly is no secret, else a
 * stand-in (a session id given to --target-org by mistake is not repeated: secrets.ts).
 */
function aliasShown(targetOrg: string): string {
  return showable(targetOrg) ? targetOrg : 'ALIAS';
}

/** What `sf org display --target-org ALIAS --json` reports in `result` (fields we use). */
export interface SfOrgDisplay {
  accessToken: string;
  instanceUrl: string;
  username?: string;
  id?: string;
  connectedStatus?: string;
}

/** What may pass through cmd.exe unquoted: aliases, usernames and sf's own words. */
const PLAIN_ARGUMENT = /^[\w.@+:-]+$/;

/** Whether `path` is a file there (the file system; a test's stand-in). */
export type FileCheck = (path: string) => boolean;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A variable of the environment by name, whatever its case (Windows' own is case-insensitive). */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((key) => key.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

/** A drive's path (C:\…) or a share's (\\server\share…): one that does not depend on the current directory. */
const WINDOWS_ABSOLUTE = /^(?:[a-z]:[\\/]|[\\/]{2}[^\\/])/i;

/**
 * Where cmd.exe would find the Windows CLI named `binary` ('sf': sf.cmd, as npm and the installer
 * put it, else sf.exe; a name with an extension as it is), looked for in PATH's directories alone,
 * in order. Never in the current directory, which cmd.exe searches before PATH for a bare name: an
 * `sf.cmd` left in the directory a check runs in (a cloned repository's) would have run in its
 * place. So an empty or relative PATH entry (which means the current directory, or one below it)
 * is passed over, and so is one with a `%`, which cmd.exe would expand in the command line.
 */
export function sfOnWindowsPath(
  binary: string,
  env: NodeJS.ProcessEnv = process.env,
  exists: FileCheck = isFile,
): string | undefined {
  const names = /\.[a-z0-9]+$/i.test(binary) ? [binary] : [`${binary}.cmd`, `${binary}.exe`];
  for (const entry of (variable(env, 'PATH') ?? '').split(win32.delimiter)) {
    // cmd.exe reads a PATH entry with its quotes ("C:\Program Files\sf\bin") without them.
    const dir = entry.replace(/"/g, '');
    if (!WINDOWS_ABSOLUTE.test(dir) || dir.includes('%')) continue;
    for (const name of names) {
      const candidate = win32.join(dir, name);
      if (exists(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * How to start the CLI. On Windows npm installs it as `sf.cmd`, which execFile cannot start (it
 * looks for .exe and .com only, so the CLI seemed not installed) and Node starts only through a
 * shell: the arguments then pass through cmd.exe, so each must be plain. A bare name (the default
 * `sf`) is started by the full path PATH gives it (sfOnWindowsPath), never as the bare name the
 * current directory's sf.cmd would answer to; undefined when PATH has none.
 */
function command(
  binary: string,
  args: string[],
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  exists: FileCheck,
): { file: string; args: string[]; shell: boolean } | undefined {
  if (platform !== 'win32') return { file: binary, args, shell: false };
  const unsafe = args.find((arg) => !PLAIN_ARGUMENT.test(arg));
  if (unsafe !== undefined)
    throw new InputError(
      `On Windows the org alias or username may hold letters, digits and . _ @ + : - only, not ${describeGiven(unsafe)}`,
    );
  const file = /[\\/:]/.test(binary)
    ? /\.[a-z0-9]+$/i.test(basename(binary))
      ? binary
      : `${binary}.cmd`
    : sfOnWindowsPath(binary, env, exists);
  if (file === undefined) return undefined;
  // One command line (arguments given separately with a shell are deprecated: DEP0190), the
  // program quoted (C:\Program Files\sf\bin\sf.cmd): Node runs it as cmd.exe /d /s /c "…", and /s
  // takes off only the outer quotes.
  return { file: [`"${file}"`, ...args].join(' '), args: [], shell: true };
}

/** How a process is started: node:child_process's spawn, or a test's stand-in. */
export type Spawner = (
  file: string,
  args: readonly string[],
  options: SpawnOptions,
) => ChildProcess;

/**
 * Where taskkill is: `%SystemRoot%\System32\taskkill.exe` (C:\Windows when SystemRoot is unset or
 * not a drive's path). Never the bare name: on Windows a bare command is looked for in the current
 * directory before PATH, so a `taskkill.exe` left in the directory the check runs in (a cloned
 * repository's) would run in its place.
 */
export function taskkillPath(env: NodeJS.ProcessEnv = process.env): string {
  // Windows' own environment is case-insensitive; a copy of it (or a test's) is not.
  const key = Object.keys(env).find((name) => name.toLowerCase() === 'systemroot');
  const root = key === undefined ? undefined : env[key];
  const systemRoot = root && /^[a-z]:[\\/]/i.test(root) ? root : 'C:\\Windows';
  return win32.join(systemRoot, 'System32', 'taskkill.exe');
}

/**
 * Ends the CLI and whatever it started. On POSIX it runs in a process group of its own (below), so
 * the whole group goes: an `sf` launched through a script (a shell wrapper, an installer's launcher
 * that does not exec node) leaves no node process behind, and that process, holding the output
 * pipe, would otherwise keep the answer (the timeout's error) from coming until it ended itself.
 * Windows has no such group and the child is cmd.exe running sf.cmd: killing it alone leaves sf's
 * node running, so the tree goes with `taskkill /pid PID /T /F` (by its full path: taskkillPath),
 * and the child is killed as well once taskkill is done (or could not start), in case the tree was
 * not found.
 */
export function stop(
  child: Pick<ChildProcess, 'pid' | 'kill' | 'exitCode' | 'signalCode'>,
  platform: NodeJS.Platform,
  spawner: Spawner = spawn,
  env: NodeJS.ProcessEnv = process.env,
): void {
  let fellBack = false;
  // Once, whichever of taskkill's 'error' and 'exit' comes (both may).
  const fallback = () => {
    if (fellBack) return;
    fellBack = true;
    child.kill('SIGKILL');
  };
  if (child.pid === undefined) return fallback();
  // A shell that exited already has no tree taskkill could find by its pid, and Windows reuses
  // pids: /T would end whatever process holds that pid now, and all it started.
  const exited = (child.exitCode ?? null) !== null || (child.signalCode ?? null) !== null;
  if (platform === 'win32' && exited) return;
  if (platform === 'win32') {
    try {
      const killer = spawner(taskkillPath(env), ['/pid', String(child.pid), '/T', '/F'], {
        windowsHide: true,
        stdio: 'ignore',
      });
      killer.once('error', fallback);
      killer.once('exit', fallback);
      return;
    } catch {
      return fallback();
    }
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already, or was never made: the child alone.
    fallback();
  }
}

type RunError = Error & { code?: string | number | null; killed?: boolean; aborted?: boolean };

/**
 * How long a run stopped (at its timeout, or aborted) waits for the CLI's process group to be gone
 * (SIGKILL cannot be ignored: this only bounds a process that escaped the group, a `setsid` or a
 * daemon it started, or on Windows one taskkill did not reach, and that still holds the output
 * pipe). Then the answer comes all the same and the pipes are closed on this side.
 */
const ABORT_WAIT_MS = 2000;

/** What the CLI may print before it is stopped (its JSON is a few KiB). */
const MAX_OUTPUT = 4 * 1024 * 1024;

/** How one sfOrgDisplay runs the CLI: its options, defaults filled in, for each command it runs. */
interface SfRun {
  binary: string;
  timeoutMs: number;
  platform: NodeJS.Platform;
  sf: SfCommand;
  signal: AbortSignal | undefined;
  spawner: Spawner;
  env: NodeJS.ProcessEnv;
  exists: FileCheck;
}

function run(
  { binary, timeoutMs, platform, signal, spawner, env, exists }: SfRun,
  args: string[],
): Promise<{ stdout: string; stderr: string; error: RunError | null }> {
  const started = command(binary, args, platform, env, exists);
  // Not on PATH (Windows): what spawn would report for a missing program.
  if (started === undefined)
    return Promise.resolve({
      stdout: '',
      stderr: '',
      error: Object.assign(new Error(`${binary} not found on PATH`), { code: 'ENOENT' }),
    });
  // A process group of its own (setsid) on POSIX, so it can be ended whole; Windows has none
  // (detached there means a console of its own): taskkill ends the tree there (stop).
  const grouped = platform !== 'win32';
  return new Promise((resolve) => {
    let killed = false;
    let aborted = false;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    // execFile cannot start a process group (it passes `detached` on to nothing): spawn, and
    // gather the output as execFile would.
    const child = spawner(started.file, started.args, {
      shell: started.shell,
      windowsHide: true,
      detached: grouped,
      env: {
        ...env,
        SF_JSON_TO_STDOUT: 'true',
        // Windows: cmd.exe (and CreateProcess) then look for a bare command in PATH alone, not in
        // the current directory first, for what sf.cmd starts in turn (npm's shim runs `node`).
        ...(platform === 'win32' ? { NoDefaultCurrentDirectoryInExePath: '1' } : {}),
      },
    });
    // Stopped once: the deadline, an abort and output past the limit may each come (on Windows
    // each stop starts a taskkill, and every chunk past the limit would start one more).
    const stopOnce = () => {
      if (stopped) return;
      stopped = true;
      stop(child, platform, spawner, env);
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let overflow: Error | undefined;
    const gather = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) {
        overflow ??= Object.assign(new Error('The Salesforce CLI printed more than 4 MiB'), {
          code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER',
        });
        stopOnce();
        return;
      }
      into.push(chunk);
    };
    child.stdout!.on('data', gather(out));
    child.stderr!.on('data', gather(err));
    const onAbort = () => {
      if (settled || aborted) return;
      aborted = true;
      // Stopped at the deadline already: its brief wait runs on.
      if (stopped && killed) return;
      clearTimeout(timer);
      stopOnce();
      // Its exit (the close of its output, which the whole group held) is awaited, briefly.
      timer = setTimeout(() => finish(null), ABORT_WAIT_MS);
    };
    const finish = (error: RunError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // A process that outlived the kill may still hold them: they no longer keep this one alive.
      for (const pipe of [child.stdin, child.stdout, child.stderr]) pipe?.destroy();
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        error: aborted
          ? Object.assign(error ?? new Error('aborted'), { aborted: true })
          : killed
            ? Object.assign(error ?? new Error('timed out'), { killed: true })
            : error,
      });
    };
    // Not started (ENOENT, EACCES): `code` says why, as execFile's error did.
    child.on('error', (error: RunError) => finish(error));
    child.on('close', (code, signal) => {
      if (overflow) return finish(overflow);
      if (code === 0) return finish(null);
      const stderr = Buffer.concat(err).toString('utf8');
      finish(
        Object.assign(
          new Error(`Command failed: ${[started.file, ...started.args].join(' ')}\n${stderr}`),
          { code, signal },
        ),
      );
    });
    // Killed at the deadline; SIGKILL because a CLI stuck at a prompt may ignore SIGTERM.
    if (timeoutMs > 0)
      timer = setTimeout(() => {
        killed = true;
        stopOnce();
        // Its exit (the close of its output) is awaited, briefly, as for an abort.
        timer = setTimeout(() => finish(null), ABORT_WAIT_MS);
      }, timeoutMs);
    // Killed when the caller aborts, the same way (connect's `signal`).
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface SfJson<T> {
  status?: number;
  name?: string;
  message?: string;
  result?: Partial<T>;
}

/**
 * Runs `sf ARGS --json` and reads its answer. `sf` prints JSON on stdout even when it fails
 * (`{ status: 1, name, message }`); a timeout or a missing binary are thrown here.
 */
async function runSf<T>(
  call: SfRun,
  args: string[],
  targetOrg: string,
): Promise<{ parsed?: SfJson<T>; error: Error | null }> {
  const { binary, timeoutMs, sf, signal } = call;
  const shown = `'${sf} ${args.map((arg) => (arg === targetOrg ? aliasShown(arg) : arg)).join(' ')}'`;
  if (signal?.aborted) throw abortedError(signal, `The Salesforce CLI (${shown})`);
  const { stdout, error } = await run(call, [...args, '--json']);
  if (error?.aborted) throw abortedError(signal!, `The Salesforce CLI (${shown}, stopped)`);
  if (error?.killed) {
    throw new SalesforceError({
      errorCode: 'SF_CLI_TIMEOUT',
      message: `The Salesforce CLI (${shown}) did not finish within ${timeoutMs / 1000} s and was stopped. Run it yourself to see what it waits for (a prompt, a session refresh the network blocks), or pass --instance-url and --access-token instead.`,
    });
  }
  // 9009: cmd.exe's exit code for a command it cannot find.
  if (error && (error.code === 'ENOENT' || error.code === 'EACCES' || error.code === 9009)) {
    throw new SalesforceError({
      errorCode: 'SF_CLI_NOT_FOUND',
      message: `The Salesforce CLI ('${binary}') is not installed or not on PATH. Install it (${installAdvice(sf)}) and run '${sf} org login web --alias ${aliasShown(targetOrg)}', or pass --instance-url and --access-token instead.`,
    });
  }
  try {
    return { parsed: JSON.parse(stdout.slice(stdout.indexOf('{'))) as SfJson<T>, error };
  } catch {
    return { error };
  }
}

function notAuthorized(
  targetOrg: string,
  parsed: SfJson<unknown> | undefined,
  error: Error | null,
  sf: SfCommand,
): SalesforceError {
  // sf's message spans lines and ends with its own pointer to --help, which means sf's flags here.
  const detail = (parsed?.message ?? (error ? error.message.split('\n')[0]! : 'no JSON answer'))
    .replace(/\s*See more help with --help\.?\s*$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return new SalesforceError({
    errorCode: 'SF_CLI_ORG_NOT_AUTHORIZED',
    // sf's own message names the org too.
    message: `The Salesforce CLI has no usable session for ${describeGiven(targetOrg)} (${parsed?.name ?? 'error'}: ${scrubSecrets(detail, [showable(targetOrg) ? undefined : targetOrg])}). Run '${sf} org login web --alias ${aliasShown(targetOrg)}' and try again.`,
  });
}

/**
 * `connectedStatus` values of `sf org display` that mean its refresh token no longer works (the
 * error's code or message from sf's renewal; 'Connected' when it renewed, or a network error's
 * code, which Sync Doctor's own requests then meet and report).
 */
const LOGIN_NEEDED =
  /RefreshTokenAuthError|invalid_grant|expired access\/refresh token|INVALID_SESSION_ID/i;

/**
 * What `sf org display` prints instead of the token since the Salesforce CLI stopped showing
 * secrets there ("[REDACTED] Use 'sf org auth show-access-token' to view"). A session id has no
 * spaces, so anything with one is such a placeholder.
 */
function isRedacted(token: string): boolean {
  return /\s/.test(token.trim()) || token.trim().startsWith('[');
}

/**
 * Reads the session of an org the Salesforce CLI has authorised. The CLI refreshes an expired
 * access token itself when asked to display the org, so this is also how a CLI session is renewed.
 * `sf org display` gives the instance URL and the username; current CLIs redact the token there,
 * which `sf org auth show-access-token --json` (that also refreshes it first) then gives.
 */
export async function sfOrgDisplay(
  targetOrg: string,
  options: {
    binary?: string;
    timeoutMs?: number;
    platform?: NodeJS.Platform;
    /** How the messages spell the CLI in the commands they suggest (default 'sf'). */
    sfCommand?: SfCommand;
    /**
     * When it aborts, the CLI's process group is killed (SIGKILL: a CLI at a prompt may ignore
     * SIGTERM), its exit is awaited briefly, and the call rejects with ABORTED. Not started at
     * all when it aborted already.
     */
    signal?: AbortSignal;
    /** Starts the processes (default node:child_process's spawn): a test's stand-in. */
    spawn?: Spawner;
    /**
     * The environment: the CLI's (with SF_JSON_TO_STDOUT), its PATH where `sf` is looked for on
     * Windows (sfOnWindowsPath), SystemRoot for taskkill. Default process.env.
     */
    env?: NodeJS.ProcessEnv;
    /** Whether a path on PATH is a file (default the file system's answer): a test's stand-in. */
    isFile?: FileCheck;
  } = {},
): Promise<SfOrgDisplay> {
  if (!targetOrg.trim() || targetOrg.startsWith('-'))
    throw new InputError(`Not an org alias or username: ${describeGiven(targetOrg)}`);
  const sf = options.sfCommand ?? 'sf';
  const call: SfRun = {
    binary: options.binary ?? 'sf',
    timeoutMs: options.timeoutMs ?? 60_000,
    platform: options.platform ?? process.platform,
    sf,
    signal: options.signal,
    spawner: options.spawn ?? spawn,
    env: options.env ?? process.env,
    exists: options.isFile ?? isFile,
  };
  const display = await runSf<SfOrgDisplay>(
    call,
    ['org', 'display', '--target-org', targetOrg],
    targetOrg,
  );
  const result = display.parsed?.result;
  if (display.parsed?.status !== 0 || !result?.instanceUrl)
    throw notAuthorized(targetOrg, display.parsed, display.error, sf);
  // sf still answers with the stored token when it could not renew it; connectedStatus says why.
  // A refresh token Salesforce refuses needs a new login: the stale token would only be refused.
  if (result.connectedStatus && LOGIN_NEEDED.test(result.connectedStatus))
    throw new SalesforceError({
      errorCode: 'SF_CLI_ORG_NOT_AUTHORIZED',
      message: `The Salesforce CLI could not renew its session for ${describeGiven(targetOrg)} (${result.connectedStatus.replace(/\s+/g, ' ').trim()}). Run '${sf} org login web --alias ${aliasShown(targetOrg)}' and try again.`,
    });
  let accessToken = result.accessToken;
  if (!accessToken || isRedacted(accessToken)) {
    const shown = await runSf<{ accessToken: string }>(
      call,
      ['org', 'auth', 'show-access-token', '--target-org', targetOrg],
      targetOrg,
    );
    accessToken = shown.parsed?.status === 0 ? shown.parsed.result?.accessToken : undefined;
    if (!accessToken || isRedacted(accessToken))
      throw notAuthorized(targetOrg, shown.parsed, shown.error, sf);
  }
  return {
    accessToken,
    instanceUrl: result.instanceUrl,
    username: result.username,
    id: result.id,
    connectedStatus: result.connectedStatus,
  };
}
