import type { ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/**
 * The child processes a check starts: today the Salesforce CLI (`sf org display`, started by
 * @sync-doctor/salesforce for --target-org). Node announces every child it spawns on the built-in
 * `child_process` diagnostics channel, so they are known here without the package handing them
 * over. When the check is cancelled (SIGINT, SIGTERM) or its --timeout passes, they are stopped
 * and their exit awaited, so a cancelled pipeline leaves no `sf` behind it.
 */
const running = new Set<ChildProcess>();
let watchers = 0;

function started(message: unknown): void {
  const child = (message as { process?: ChildProcess } | undefined)?.process;
  if (!child) return;
  running.add(child);
  const gone = () => running.delete(child);
  child.once('exit', gone);
  child.once('close', gone);
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Tracks the children spawned from now until the returned function is called. */
export function watchChildren(): () => void {
  if (watchers === 0) subscribe('child_process', started);
  watchers += 1;
  let watching = true;
  return () => {
    if (!watching) return;
    watching = false;
    watchers -= 1;
    if (watchers === 0) unsubscribe('child_process', started);
  };
}

/**
 * Sends `signal` to the child's process group when it leads one (@sync-doctor/salesforce starts
 * `sf` that way on POSIX, so a launcher script's own children go too), else to the child alone.
 */
function send(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Gone already.
    }
  }
}

function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([work.then(() => true), late]).finally(() => clearTimeout(timer));
}

/**
 * Stops every tracked child still running: SIGTERM, then SIGKILL for one that has not exited
 * within `graceMs` (a CLI stuck at a prompt may ignore SIGTERM), each time waiting at most
 * `graceMs` for it to exit. Resolves once they have exited (and were reaped), or the waits ran out.
 */
export async function stopChildren(graceMs = 1000): Promise<void> {
  const live = [...running].filter((child) => child.pid !== undefined && !exited(child));
  if (live.length === 0) return;
  const allExited = Promise.all(
    live.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (exited(child)) resolve();
          else child.once('exit', () => resolve());
        }),
    ),
  );
  for (const child of live) send(child, 'SIGTERM');
  if (await within(allExited, graceMs)) return;
  for (const child of live) if (!exited(child)) send(child, 'SIGKILL');
  await within(allExited, graceMs);
}
