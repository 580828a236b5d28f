/** Test helper: whether a child process the code under test started is still alive. */
import { execFileSync } from 'node:child_process';

/** Still running: not gone, and not a zombie waiting for a parent to reap it. */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return state.trim() !== '' && !state.trim().startsWith('Z');
}
