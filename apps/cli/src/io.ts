/** What the CLI reads and writes, so tests can run commands in-process with fake streams. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * The width to render for: the terminal's columns (process.stdout.columns), 80 when stdout is not
 * a terminal (a pipe or a file has no width), kept between 40 and `max` so a very wide terminal
 * does not stretch lines past reading.
 */
export function outputWidth(stream: OutputStream, max = 140): number {
  const columns = stream.columns && stream.columns > 0 ? stream.columns : 80;
  return Math.min(Math.max(columns, 40), max);
}

/** Exit codes: 1 is reserved for "findings", so bad usage is 2 like "could not diagnose". */
export const EXIT = { ok: 0, findings: 1, couldNotDiagnose: 2, usage: 2 } as const;

/** A mistake in the command line: printed as one line plus the usage, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
