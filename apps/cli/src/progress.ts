import type { OutputStream } from './io.js';

export interface Progress {
  update(text: string): void;
  /** Clears the line (TTY) and stops the spinner. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress on stderr, so stdout stays the report (or the JSON). A spinner redrawn in place on a
 * TTY; elsewhere (CI logs, pipes) one plain line per step.
 */
export function createProgress(stream: OutputStream, options: { interactive: boolean; quiet?: boolean }): Progress {
  if (options.quiet) return { update: () => undefined, stop: () => undefined };
  if (!options.interactive) {
    return {
      update: (text) => void stream.write(`sync-doctor: ${text}\n`),
      stop: () => undefined,
    };
  }
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
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (text) stream.write('\r\u001b[K');
      text = '';
    },
  };
}
