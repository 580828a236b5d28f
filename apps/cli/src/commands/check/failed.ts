// When `sync-doctor check` could not diagnose: the outcome of each failure it can explain (the
// deadline, a signal, no integration user, a value refused, Salesforce's refusal), and the types
// that carry an outcome to stdout and the --junit report.
import type { Diagnosis } from '@sync-doctor/core';
import type { CheckArgs } from '../../args.js';
import { DeadlineExceeded, Interrupted, formatDuration, type Deadline } from '../../deadline.js';
import { IntegrationUserNotChosen } from '../../integrationUser.js';
import { EXIT, UsageError, errorJson, withoutGiven, type Io } from '../../io.js';
import { renderFailure, summarizeFailure } from '../../render/failure.js';
import { printable } from '../../render/printable.js';
import { createStyle, type Style } from '../../render/style.js';
import { RequirementsFileError } from '../../requirementsFile.js';
import type { RelayedView } from '../../render/relayed.js';
import type { SfCommand } from '../../sfCommand.js';
import type { Reached } from './connect.js';

/** Why the check could not run, for the --junit report's one failing testcase. */
export interface NotDiagnosed {
  errorCode: string;
  message: string;
  /** What stderr said, without colour: the advice as well as the reason. */
  detail?: string;
}

/**
 * What the check found, and what goes to stdout: written only after the --junit file, so that when
 * that file cannot be written, --json prints the error object instead of a diagnosis.
 */
export type CheckOutcome = { code: number; stdout: string } & (
  { diagnosis: Diagnosis; relayed: RelayedView | undefined } | { failure: NotDiagnosed }
);

/** What the check was doing and had done when it failed, and the org if it was reached. */
interface FailedRun {
  args: CheckArgs;
  io: Io;
  errStyle: Style;
  width: number;
  sf: SfCommand;
  signal: AbortSignal;
  deadline: Deadline | undefined;
  state: { doing: string; done: string[]; reached?: Reached };
}

/**
 * The outcome of a failure the check can explain, said on stderr as well. A usage mistake found
 * while reaching the org (an unknown fixture) and anything unexplained are thrown again: main
 * prints them.
 */
export async function couldNotDiagnose(
  error: unknown,
  { args, io, errStyle, width, sf, signal, deadline, state }: FailedRun,
): Promise<CheckOutcome> {
  if (error instanceof UsageError) throw error;
  // Once the run's controller aborted, whatever failed with it (ABORTED from a request or the
  // Salesforce CLI, both stopped and sf's exit awaited by @sync-doctor/salesforce) is its doing.
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof DeadlineExceeded) return timedOut(args, deadline!, state, io, errStyle);
    if (reason instanceof Interrupted) return interruptedOutcome(args, reason, io);
  }
  if (error instanceof IntegrationUserNotChosen) {
    const detail = printable(error.message)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    io.stderr.write(
      `${errStyle.bold(errStyle.red('Could not diagnose'))}: ${errStyle.bold(error.errorCode)}\n${detail}\n`,
    );
    return {
      code: EXIT.couldNotDiagnose,
      failure: { errorCode: error.errorCode, message: error.message },
      stdout: args.json ? errorJson(error.toJSON(), false) : '',
    };
  }
  const badInput = error instanceof RequirementsFileError ? error : await asInputError(error);
  if (badInput) {
    io.stderr.write(
      `${errStyle.bold(errStyle.red('Could not diagnose'))}: ${printable(badInput.message)}\n`,
    );
    return {
      code: EXIT.couldNotDiagnose,
      failure: { errorCode: 'BAD_INPUT', message: badInput.message },
      stdout: args.json
        ? errorJson({ errorCode: 'BAD_INPUT', message: badInput.message }, false)
        : '',
    };
  }
  if (isSalesforceFailure(error)) {
    // Salesforce and the package quote what was given ('No user with username …'): a token
    // handed to --user or --target-org by mistake goes to stderr, --json and --junit described.
    const given = [args.user, args.auth?.kind === 'sf-cli' ? args.auth.targetOrg : undefined];
    const failure = {
      message: withoutGiven(error.message, given),
      reason: error.reason,
      errorCode: error.errorCode,
      statusCode: error.statusCode,
      request: error.request,
    };
    io.stderr.write(renderFailure(failure, errStyle, width, sf));
    const summary = summarizeFailure(failure);
    return {
      // A failure that passes (the network, a timeout, Salesforce down or out of API requests)
      // is 75 so a pipeline can retry it; one someone must fix stays 2.
      code: summary.retryable ? EXIT.retryLater : EXIT.couldNotDiagnose,
      failure: {
        errorCode: summary.errorCode,
        message: failure.message,
        detail: renderFailure(failure, createStyle(false), 100, sf).trimEnd(),
      },
      stdout: args.json ? errorJson(summary, summary.retryable) : '',
    };
  }
  throw error;
}

/**
 * A value given to @sync-doctor/salesforce that it refused (its InputError): the user's mistake,
 * BAD_INPUT. Any other TypeError is a bug and takes the unexpected-failure path (main.ts). The
 * package is imported only for a TypeError (InputError extends it), and is then loaded already
 * when it threw the error.
 */
async function asInputError(error: unknown): Promise<Error | undefined> {
  if (!(error instanceof TypeError)) return undefined;
  const { InputError } = await import('@sync-doctor/salesforce');
  return error instanceof InputError ? error : undefined;
}

function isSalesforceFailure(error: unknown): error is {
  message: string;
  reason: string;
  errorCode: string;
  statusCode?: number;
  request?: string;
} {
  return (
    error instanceof Error &&
    typeof (error as { errorCode?: unknown }).errorCode === 'string' &&
    typeof (error as { reason?: unknown }).reason === 'string'
  );
}

/**
 * SIGINT, SIGTERM or SIGHUP stopped the check: 130, 143 or 129. bin.ts has said so already (and prints nothing
 * the check says after it); a caller of main in-process gets the message, --json's error object
 * and the --junit report from here.
 */
function interruptedOutcome(args: CheckArgs, reason: Interrupted, io: Io): CheckOutcome {
  io.stderr.write(`sync-doctor: ${reason.message}\n`);
  return {
    code: reason.exitCode,
    failure: { errorCode: 'INTERRUPTED', message: reason.message },
    stdout: args.json
      ? errorJson(
          { errorCode: 'INTERRUPTED', message: reason.message, signal: reason.signal },
          true,
        )
      : '',
  };
}

/**
 * The TIMED_OUT outcome: exit 75 (running again may finish), saying what the check was doing when
 * --deadline passed and what it had done by then, on stderr, in --json and in the --junit report.
 */
async function timedOut(
  args: CheckArgs,
  deadline: Deadline,
  state: { doing: string; done: string[]; reached?: Reached },
  io: Io,
  errStyle: Style,
): Promise<CheckOutcome> {
  const requests = state.reached
    ? (await import('@sync-doctor/salesforce')).requestCount(state.reached.conn)
    : 0;
  const given = [args.user, args.auth?.kind === 'sf-cli' ? args.auth.targetOrg : undefined];
  const message = withoutGiven(
    `The check did not finish within ${formatDuration(deadline.ms)} (--deadline): it was ${state.doing}. ` +
      (state.done.length > 0
        ? `Done by then: ${state.done.join('; ')}; ${requests} API request${requests === 1 ? '' : 's'} sent.`
        : 'Nothing had been read from the org yet.') +
      ' The org was only read, nothing in it changed: run again, or allow longer with --deadline.',
    given,
  );
  io.stderr.write(
    `${errStyle.bold(errStyle.red('Could not diagnose'))}: ${errStyle.bold('TIMED_OUT')}\n  ${printable(message)}\n`,
  );
  return {
    code: EXIT.retryLater,
    failure: { errorCode: 'TIMED_OUT', message },
    stdout: args.json
      ? errorJson(
          {
            errorCode: 'TIMED_OUT',
            message,
            deadlineSeconds: deadline.ms / 1000,
            step: withoutGiven(state.doing, given),
            done: state.done.map((step) => withoutGiven(step, given)),
            requests,
          },
          true,
        )
      : '',
  };
}
