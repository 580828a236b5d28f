/**
 * Terminal styling. Colour only when the stream is a TTY and NO_COLOR is unset or empty
 * (https://no-color.org); FORCE_COLOR forces it, for CI logs that render ANSI, except '0' and
 * 'false', which turn it off.
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export function colourWanted(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  // Node's own rule (tty.getColorDepth): '0' and 'false' turn colour off, even at a terminal.
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const wrap = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;

export function createStyle(enabled: boolean): Style {
  const same = (text: string) => text;
  return {
    enabled,
    bold: enabled ? wrap(1, 22) : same,
    dim: enabled ? wrap(2, 22) : same,
    red: enabled ? wrap(31, 39) : same,
    green: enabled ? wrap(32, 39) : same,
    yellow: enabled ? wrap(33, 39) : same,
    cyan: enabled ? wrap(36, 39) : same,
  };
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** The width a string takes on screen (ANSI codes take none). */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
