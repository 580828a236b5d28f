import { CHECK_USAGE, EXPLAIN_USAGE, MAIN_USAGE, usageBrief } from './args.js';
import { runCheck } from './commands/check.js';
import { runExplain } from './commands/explain.js';
import { EXIT, UsageError, errorJson, hideSecrets, outputWidth, type Io } from './io.js';
import { fitHelp } from './render/help.js';
import { wrapText } from './render/table.js';

export const CLI_VERSION = '0.1.0';

/**
 * --json among the options (before a `--`), read without the parser: it may be what failed. So is
 * `--json=true` (refused: --json takes no value), whose error a pipeline then still reads as JSON.
 */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some(
    (arg) => arg === '--json' || arg.startsWith('--json='),
  );
}

/** Runs one command line; returns the exit code. Never calls process.exit (bin.ts does). */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, io);
      case 'explain':
        return await runExplain(rest, io);
      case '-h':
      case '--help':
        io.stdout.write(`${fitHelp(MAIN_USAGE, outputWidth(io.stdout))}\n`);
        return EXIT.ok;
      case 'help': {
        const usage =
          rest[0] === 'check' ? CHECK_USAGE : rest[0] === 'explain' ? EXPLAIN_USAGE : MAIN_USAGE;
        io.stdout.write(`${fitHelp(usage, outputWidth(io.stdout))}\n`);
        return EXIT.ok;
      }
      case '-v':
      case '--version':
        io.stdout.write(`${CLI_VERSION}\n`);
        return EXIT.ok;
      case undefined:
        throw new UsageError('Missing command', 'main');
      default:
        throw new UsageError(
          command.startsWith('-') ? `Unknown option '${command}'` : `Unknown command '${command}'`,
          'main',
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      // Wrapped to stderr's width: 'Unknown demo fixture …; choose one of:' lists every fixture.
      const said = wrapText(`sync-doctor: ${error.message}`, outputWidth(io.stderr)).join('\n');
      io.stderr.write(`${said}\n\n${usageBrief(error.usage)}\n`);
      // A pipeline reading stdout with jq gets an error object like every other failure's.
      if (wantsJson(argv))
        io.stdout.write(errorJson({ errorCode: 'BAD_USAGE', message: error.message }, false));
      return EXIT.usage;
    }
    // A bug's message may quote what it was handed, a token among it: never repeated.
    const message = hideSecrets(error instanceof Error ? error.message : String(error));
    io.stderr.write(
      `sync-doctor: unexpected failure: ${message}\n${error instanceof Error && error.stack ? `${error.stack.split('\n').slice(1, 6).join('\n')}\n` : ''}` +
        `Sync Doctor did not foresee this (likely a fault of its own): run again, and if it comes back, report it with the lines above (sync-doctor ${CLI_VERSION}, Node.js ${process.version}).\n`,
    );
    // Every exit 2 with --json carries an error object, this one too (the --junit report says the same).
    if (wantsJson(argv))
      io.stdout.write(errorJson({ errorCode: 'UNEXPECTED_FAILURE', message }, false));
    return EXIT.couldNotDiagnose;
  }
}
