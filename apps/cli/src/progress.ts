import type { OutputStream } from './io.js';
import { printable } from './render/printable.js';

export interface Progress {
  update(text: string): void;
  /** A line that stays, such as which user was chosen; a running spinner is redrawn below it. */
  note(text: string): void;
  /** Clears the line (TTY) and stops the spinner. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The spinner's text cut to the terminal's width (read at each redraw: it may be resized). Carriage
 * return and erase-line reach only the cursor's screen row, so a line that wrapped would leave a copy
 * of itself above on every redraw. Two columns go to the frame and its space, one stays free.
 */
function fit(text: string, columns: number | undefined): string {
  if (!columns || columns <= 0) return text;
  const room = Math.max(columns - 3, 1);
  const chars = [...text];
  return chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`;
}

/**
 * Progress on stderr, so stdout stays the report (or the JSON). A spinner redrawn in place on a
 * TTY; elsewhere (CI logs, pipes) one plain line per step.
 */
export function createProgress(
  stream: OutputStream,
  options: { interactive: boolean; quiet?: boolean },
): Progress {
  // Steps and notes name users and permission sets of the org: shown, never obeyed.
  const line = (text: string) => void stream.write(`sync-doctor: ${printable(text)}\n`);
  // Quiet silences the steps, not the notes: a note says something about the result.
  if (options.quiet) return { update: () => undefined, note: line, stop: () => undefined };
  if (!options.interactive) return { update: line, note: line, stop: () => undefined };
  let text = '';
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    stream.write(`\r\u001b[K${FRAMES[frame % FRAMES.length]} ${fit(text, stream.columns)}`);
    frame += 1;
  };
  return {
    update(next) {
      text = printable(next);
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
