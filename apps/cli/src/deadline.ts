/**
 * Why a check's AbortController aborted (its `reason`): one controller per run stands for both the
 * --deadline and SIGINT/SIGTERM (bin.ts), and everything the check starts (each Salesforce
 * request, the Salesforce CLI) watches its signal through @sync-doctor/salesforce.
 */

/** The --deadline of a whole check passed before it finished. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`--deadline of ${formatDuration(ms)} reached`);
    this.name = 'DeadlineExceeded';
  }
}

/** SIGINT, SIGTERM or SIGHUP (the terminal closed) came before the check finished. */
export class Interrupted extends Error {
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP',
    /** The shell's usual 128 + the signal's number. */
    readonly exitCode: number,
  ) {
    super(
      `interrupted (${signal}) before the check finished; the org was only read, nothing in it changed.`,
    );
    this.name = 'Interrupted';
  }
}

/** 90000 → '90 s', 1500 → '1.5 s', 300 → '0.3 s': how messages name a --deadline. */
export function formatDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export interface Deadline {
  readonly ms: number;
  /** Stops the timer (the check ended first). */
  clear(): void;
}

/** Aborts `controller` with DeadlineExceeded once `ms` have passed, unless cleared first. */
export function startDeadline(ms: number, controller: AbortController): Deadline {
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms);
  return { ms, clear: () => clearTimeout(timer) };
}
