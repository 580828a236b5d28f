/** The --timeout of a whole check passed before it finished. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`--timeout of ${formatDuration(ms)} reached`);
    this.name = 'DeadlineExceeded';
  }
}

/** 90000 → '90 s', 1500 → '1.5 s', 300 → '0.3 s': how messages name a --timeout. */
export function formatDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export interface Deadline {
  readonly ms: number;
  /** Aborted when the deadline passes. */
  readonly signal: AbortSignal;
  /** Milliseconds left, at least 1 (0 means "no limit" to the timeouts it is handed to). */
  remaining(): number;
  /**
   * `work`'s result, or DeadlineExceeded as soon as the deadline passes first. Work overtaken by
   * the deadline goes on unwatched: its later failure is dropped, and `abandoned` receives its
   * later result (to close what it opened).
   */
  race<T>(work: Promise<T>, abandoned?: (result: T) => unknown): Promise<T>;
  /** Stops the timer (the check ended first). */
  clear(): void;
}

export function startDeadline(ms: number): Deadline {
  const controller = new AbortController();
  const endsAt = Date.now() + ms;
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms);
  const passed = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
      once: true,
    });
  });
  // Nobody may be racing when it passes (between steps): not an unhandled rejection.
  passed.catch(() => undefined);
  return {
    ms,
    signal: controller.signal,
    remaining: () => Math.max(1, endsAt - Date.now()),
    race(work, abandoned) {
      controller.signal.throwIfAborted();
      work.then(
        (result) => {
          if (controller.signal.aborted) abandoned?.(result);
        },
        () => undefined,
      );
      return Promise.race([work, passed]);
    },
    clear: () => clearTimeout(timer),
  };
}
