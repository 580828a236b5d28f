import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import {
  access,
  lstat,
  readlink,
  realpath,
  rename,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** The --junit file cannot be written: said in one line, exit 2. */
export class JunitFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JunitFileError';
  }
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/**
 * Checked before the org is read, so a typo in the path fails in a second, not after the whole
 * diagnosis (and never leaves a pipeline without the report it expects). Returns the absolute path
 * to write: a symbolic link's target (the link is kept), since the report is renamed into place and
 * would otherwise replace the link. Anything but a regular file is refused: a device, a pipe or a
 * socket (`--junit /dev/stdout`) would be replaced by the report, and as root (CI containers) that
 * removes /dev/stdout or /dev/null for every process after.
 */
export async function prepareJunitFile(file: string, cwd: string): Promise<string> {
  let path = resolve(cwd, file);
  const entry = await lstat(path).catch(() => undefined);
  // What the path names, through its links: /dev/stdout is a pipe, a terminal or a file.
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory())
    throw new JunitFileError(`--junit ${file}: ${path} is a directory, not a file`);
  if (target && !target.isFile())
    throw new JunitFileError(
      `--junit ${file}: ${path} is not a regular file (a device, a pipe or a socket), which the report would replace: give the report's file name (it does not write to stdout)`,
    );
  if (entry?.isSymbolicLink()) path = target ? await realpath(path) : await linkTarget(path);
  const dir = dirname(path);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new JunitFileError(
      code(error) === 'ENOENT'
        ? `--junit ${file}: the directory ${dir} does not exist (create it first)`
        : `--junit ${file}: cannot use the directory ${dir}: ${code(error)}`,
    );
  }
  if (!isDirectory) throw new JunitFileError(`--junit ${file}: ${dir} is not a directory`);
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new JunitFileError(`--junit ${file}: cannot write in ${dir}: ${code(error)}`);
  }
  return path;
}

/** Where a symbolic link to a file not there yet points, through every link on the way. */
async function linkTarget(link: string): Promise<string> {
  let path = link;
  for (let hops = 0; hops < 40; hops++) {
    const entry = await lstat(path).catch(() => undefined);
    if (!entry?.isSymbolicLink()) return path;
    path = resolve(dirname(path), await readlink(path));
  }
  throw new JunitFileError(`--junit ${link}: too many symbolic links (ELOOP)`);
}

function tempBeside(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * writeJunitFile at once, for a signal handler that exits right after (SIGTERM from a CI job's
 * timeout or cancel): best effort, a failure is left unsaid as the process is going away anyway.
 */
export function writeJunitFileNow(path: string, xml: string): void {
  const temp = tempBeside(path);
  try {
    writeFileSync(temp, xml, { encoding: 'utf8', flag: 'wx' });
    renameSync(temp, path);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Never made.
    }
  }
}

/**
 * What to do when SIGINT or SIGTERM ends the run (bin.ts calls it before exiting): set while a
 * check with --junit runs, so the pipeline's report says the check was interrupted instead of
 * being missing or a previous run's.
 */
let onInterrupt: ((signal: string) => void) | undefined;
/**
 * Set once a signal wrote its report: the check still winds down while the Salesforce CLI's exit
 * is awaited (bin.ts), and what it then finds must not replace the INTERRUPTED report.
 */
let interruptedAlready = false;

export function whenInterrupted(handler: (signal: string) => void): () => void {
  onInterrupt = handler;
  return () => {
    if (onInterrupt === handler) onInterrupt = undefined;
  };
}

export function interrupted(signal: string): void {
  // Only a report written here stands: a signal before the check watched for one (its --junit
  // path still being checked) is met by the check itself, which writes the INTERRUPTED report.
  if (!onInterrupt) return;
  onInterrupt(signal);
  interruptedAlready = true;
}

/**
 * Writes the report to a temporary file beside it, then renames it over the target: a pipeline
 * reading the file sees the old report or the new one, never half of one.
 */
export async function writeJunitFile(path: string, xml: string): Promise<void> {
  if (interruptedAlready) return;
  const temp = tempBeside(path);
  try {
    await writeFile(temp, xml, { encoding: 'utf8', flag: 'wx' });
    // A signal came while it was written: its INTERRUPTED report stays, as the exit code says.
    if (interruptedAlready) {
      await unlink(temp).catch(() => undefined);
      return;
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new JunitFileError(`Cannot write the JUnit report to ${path}: ${code(error)}`);
  }
}
