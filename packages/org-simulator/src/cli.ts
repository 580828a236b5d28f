import { parseArgs } from 'node:util';
import {
  FIXTURE_NAMES,
  isFixtureName,
  type FixtureName,
  type FixtureSize,
} from './fixtures/index.js';

/** The option column of USAGE. */
const DESCRIPTION_INDENT = ' '.repeat(19);

/**
 * `words` joined by ", " into lines of at most 100 columns, every line after the first indented to
 * the option column: the fixture list grows with every fixture and must not run off a terminal.
 */
function wrapInColumn(words: readonly string[], firstLineStart: number): string {
  const lines: string[] = [];
  let line = '';
  let start = firstLineStart;
  for (const [i, word] of words.entries()) {
    const piece = i < words.length - 1 ? `${word},` : word;
    if (line && start + line.length + 1 + piece.length > 100) {
      lines.push(line);
      line = piece;
      start = DESCRIPTION_INDENT.length;
    } else line = line ? `${line} ${piece}` : piece;
  }
  lines.push(line);
  return lines.join(`\n${DESCRIPTION_INDENT}`);
}

const FIXTURE_LINE_START = `  --fixture NAME   one of (default healthy): `;

export const USAGE = `Usage: sync-doctor-org-simulator [--fixture NAME] [--size default|large] [--port N]

Serves a simulated Salesforce org (REST API and OAuth token endpoint) on 127.0.0.1 and prints
its URL and an admin session id.

Options:
${FIXTURE_LINE_START}${wrapInColumn(FIXTURE_NAMES, FIXTURE_LINE_START.length)}
  --size SIZE      default | large (300 permission sets, 800 objects, 60,000 field permissions)
  --port N         port to listen on (default: a free port)
  --help           show this help`;

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'serve'; fixture: FixtureName; size: FixtureSize; port: number };

/** Parse the bin's arguments; never throws: bad input becomes an error with a one-line message. */
export function parseCliArgs(argv: string[]): CliCommand {
  let values: { fixture?: string; size?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        fixture: { type: 'string' },
        size: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const fixture = values.fixture ?? 'healthy';
  if (!isFixtureName(fixture)) return { kind: 'error', message: `unknown fixture '${fixture}'` };
  const size = values.size ?? 'default';
  if (size !== 'default' && size !== 'large')
    return { kind: 'error', message: `unknown size '${size}' (default or large)` };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port > 65535) {
    return { kind: 'error', message: `invalid port '${values.port}'` };
  }
  return { kind: 'serve', fixture, size, port };
}
