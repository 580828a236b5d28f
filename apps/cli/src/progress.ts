import type { OutputStream } from './io.js';

export interface Progress {
  update(text: string): void;
  /** A line that stays, such as which user was chosen; a running spinner is redrawn below it. */
  note(text: string): void;
  /** Clears the line (TTY) and stops the spinner. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress on stderr, so stdout stays the report (or the JSON). A spinner redrawn in place on a
 * TTY; elsewhere (CI logs, pipes) one plain line per step.
 */
export function createProgress(
  stream: OutputStream,
  options: { interactive: boolean; quiet?: boolean },
): Progress {
  const line = (text: string) => void stream.write(`sync-doctor: ${text}\n`);
  // Quiet silences the steps, not the notes: a note says something about the result.
  if (options.quiet) return { update: () => undefined, note: line, stop: () => undefined };
  if (!options.interactive) return { update: line, note: line, stop: () => undefined };
  let text = '';
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    stream.write(`\r\u001b[K${FRAMES[frame % FRAMES.length]} ${text}`);
    frame += 1;
  };
  return {
    update(next) {
      text = next;
      draw();
      if (!timer) {
        timer = setInterval(draw, 80);
        timer.unref?.();
      }
    },
    note(next) {
      if (text) stream.write('\r\u001b[K');
      line(next);
      if (timer) draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (text) stream.write('\r\u001b[K');
      text = '';
    },
  };
}
