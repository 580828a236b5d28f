import {
  DEFAULT_REQUIREMENTS,
  connectedAppsNotReadLine,
  evaluateAccess,
  formatReport,
  loginsNotReadLine,
  type Diagnosis,
  type Requirements,
  type Severity,
} from '@sync-doctor/core';
import { dirname } from 'node:path';
import type { Connection } from '@sync-doctor/salesforce';
import { CHECK_USAGE, parseCheckArgs, type CheckArgs, type CheckAuth } from '../args.js';
import { CHECK_JSON_SCHEMA, CHECK_JSON_SCHEMA_VERSION } from '../checkJsonSchema.js';
import {
  DeadlineExceeded,
  Interrupted,
  formatDuration,
  startDeadline,
  type Deadline,
} from '../deadline.js';
import { IntegrationUserNotChosen, findIntegrationUser } from '../integrationUser.js';
import {
  EXIT,
  UsageError,
  describeGiven,
  errorJson,
  hideSecrets,
  outputWidth,
  showable,
  withoutGiven,
  type Io,
} from '../io.js';
import {
  JunitFileError,
  prepareJunitFile,
  whenInterrupted,
  writeJunitFile,
  writeJunitFileNow,
} from '../junitFile.js';
import { createProgress, type Progress } from '../progress.js';
import { sfCommand, type SfCommand } from '../sfCommand.js';
import { renderDiagnosis, type CheckContext } from '../render/diagnosis.js';
import { chooseRelayed } from '../render/relayed.js';
import { renderFailure, summarizeFailure } from '../render/failure.js';
import { fitHelp } from '../render/help.js';
import { renderJunit, renderJunitFailure } from '../render/junit.js';
import { printable, printableDeep } from '../render/printable.js';
import { colourWanted, createStyle } from '../render/style.js';
import { RequirementsFileError, loadRequirementsFile } from '../requirementsFile.js';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** 1 when a finding is at or above the --fail-on level, else 0. The diagnosis decides severities; this only compares. */
export function exitCodeFor(diagnosis: Diagnosis, failOn: 'error' | 'warning'): number {
  const threshold = SEVERITY_RANK[failOn];
  return diagnosis.findings.some((f) => SEVERITY_RANK[f.severity] <= threshold)
    ? EXIT.findings
    : EXIT.ok;
}

interface Reached {
  conn: Connection;
  /** Undefined when --user was not given for a real org: the integration user is then looked for. */
  user?: string;
  /** How progress names the user when `user` is its id. */
  userLabel?: string;
  source: string;
  close(): Promise<void>;
}

/** The URL flags checked here, so their mistakes name the flag rather than a field of connect(). */
function orgUrlFlag(
  salesforce: Pick<typeof import('@sync-doctor/salesforce'), 'normalizeOrgUrl' | 'InputError'>,
  value: string,
  flag: string,
): string {
  try {
    return salesforce.normalizeOrgUrl(value, flag);
  } catch (error) {
    // Only the URL's refusal is a usage mistake; anything else is a bug, reported as one.
    if (!(error instanceof salesforce.InputError)) throw error;
    throw new UsageError(error.message, 'check');
  }
}

/**
 * `timeoutMs` (--timeout) bounds each request and Salesforce CLI call; `signal` (the run's: the
 * --deadline, SIGINT, SIGTERM) is kept on the connection, so aborting it stops every request in
 * flight and the Salesforce CLI, and nothing new starts.
 */
async function reachOrg(
  auth: CheckAuth,
  userFlag: string | undefined,
  timeoutMs: number,
  progress: Progress,
  sf: SfCommand,
  signal: AbortSignal,
): Promise<Reached> {
  const salesforce = await import('@sync-doctor/salesforce');
  signal.throwIfAborted();
  if (auth.kind === 'demo') {
    // Loaded only for --demo: the simulator brings Fastify along.
    const simulator = await import('@sync-doctor/org-simulator');
    const names: readonly string[] = simulator.FIXTURE_NAMES;
    if (!names.includes(auth.fixture))
      throw new UsageError(
        `Unknown demo fixture '${auth.fixture}'; choose one of: ${names.join(', ')}`,
        'check',
      );
    progress.update(`starting the simulated org '${auth.fixture}'…`);
    signal.throwIfAborted();
    const sim = await simulator.startOrgSimulator({
      fixture: auth.fixture as never,
      size: 'default',
      port: 0,
    });
    try {
      const conn = await salesforce.connect({
        instanceUrl: sim.url,
        accessToken: sim.accessToken,
        timeoutMs,
        signal,
      });
      return {
        conn,
        // By id, so the collector's queries name the user directly rather than by a semi-join on
        // the username (the request count is the same either way: 4 with the relayed status).
        user: userFlag ?? sim.integrationUser.Id,
        userLabel: userFlag ?? sim.integrationUser.Username,
        source: `the demo fixture '${auth.fixture}' (a simulated org at ${sim.url})`,
        close: () => sim.close(),
      };
    } catch (error) {
      await sim.close();
      throw error;
    }
  }
  const instanceUrl =
    auth.kind === 'token' ? orgUrlFlag(salesforce, auth.instanceUrl, '--instance-url') : undefined;
  const loginUrl =
    auth.kind === 'jwt' && auth.loginUrl
      ? orgUrlFlag(salesforce, auth.loginUrl, '--login-url')
      : undefined;
  progress.update(
    auth.kind === 'sf-cli'
      ? `asking the Salesforce CLI for ${describeGiven(auth.targetOrg)}…`
      : 'connecting to Salesforce…',
  );
  signal.throwIfAborted();
  const conn =
    auth.kind === 'sf-cli'
      ? // The commands its errors suggest, spelled as this user can run them ('npx sf …').
        await salesforce.connect({
          kind: 'sf-cli',
          targetOrg: auth.targetOrg,
          timeoutMs,
          signal,
          sfCommand: sf,
        })
      : auth.kind === 'jwt'
        ? await salesforce.connect({
            kind: 'jwt',
            clientId: auth.clientId,
            privateKeyFile: auth.keyFile,
            username: auth.username,
            timeoutMs,
            signal,
            ...(loginUrl ? { loginUrl } : {}),
          })
        : await salesforce.connect({
            instanceUrl: instanceUrl!,
            accessToken: auth.accessToken,
            timeoutMs,
            signal,
          });
  const source =
    auth.kind === 'sf-cli'
      ? `the org ${describeGiven(auth.targetOrg)} (${conn.instanceUrl})`
      : conn.instanceUrl;
  return { conn, user: userFlag, source, close: async () => undefined };
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

/** Why the check could not run, for the --junit report's one failing testcase. */
interface NotDiagnosed {
  errorCode: string;
  message: string;
  /** What stderr said, without colour: the advice as well as the reason. */
  detail?: string;
}

/**
 * What the check found, and what goes to stdout: written only after the --junit file, so that when
 * that file cannot be written, --json prints the error object instead of a diagnosis.
 */
type CheckOutcome = { code: number; stdout: string } & (
  { diagnosis: Diagnosis } | { failure: NotDiagnosed }
);

/** `sync-doctor check`: reach the org, collect the snapshot, let the core judge, render. */
export async function runCheck(argv: string[], io: Io): Promise<number> {
  const args = parseCheckArgs(argv, io.env, [io.cwd, dirname(process.argv[1] ?? io.cwd)]);
  if (args.help) {
    io.stdout.write(`${fitHelp(CHECK_USAGE, outputWidth(io.stdout))}\n`);
    return EXIT.ok;
  }
  if (args.jsonSchema) {
    io.stdout.write(`${JSON.stringify(CHECK_JSON_SCHEMA, null, 2)}\n`);
    return EXIT.ok;
  }
  let junitPath: string | undefined;
  if (args.junit) {
    try {
      junitPath = await prepareJunitFile(args.junit, io.cwd);
    } catch (error) {
      if (!(error instanceof JunitFileError)) throw error;
      io.stderr.write(`sync-doctor: ${error.message}\n`);
      if (args.json)
        io.stdout.write(errorJson({ errorCode: 'BAD_INPUT', message: error.message }, false));
      return EXIT.usage;
    }
  }
  const stopWatching = junitPath
    ? whenInterrupted((signal) =>
        writeJunitFileNow(
          junitPath,
          renderJunitFailure({
            errorCode: 'INTERRUPTED',
            message: `interrupted (${signal}) before the check finished; the org was only read, nothing in it changed.`,
          }),
        ),
      )
    : () => undefined;
  try {
    return await checkAndReport(args, io, junitPath);
  } finally {
    stopWatching();
  }
}

async function checkAndReport(
  args: CheckArgs,
  io: Io,
  junitPath: string | undefined,
): Promise<number> {
  let outcome: CheckOutcome;
  try {
    outcome = await diagnose(args, io);
  } catch (error) {
    // A usage mistake found while reaching the org (an unknown fixture) or a bug: main prints it,
    // and the report says why too, so the pipeline's test view is not simply missing.
    if (junitPath) {
      const failure =
        error instanceof UsageError
          ? { errorCode: 'BAD_USAGE', message: error.message }
          : {
              errorCode: 'UNEXPECTED_FAILURE',
              message: hideSecrets(error instanceof Error ? error.message : String(error)),
            };
      await writeJunitFile(junitPath, renderJunitFailure(failure)).catch((writeError: Error) =>
        io.stderr.write(`sync-doctor: ${writeError.message}\n`),
      );
    }
    throw error;
  }
  if (junitPath) {
    const xml =
      'diagnosis' in outcome
        ? renderJunit(outcome.diagnosis, { failOn: args.failOn })
        : renderJunitFailure(outcome.failure);
    try {
      await writeJunitFile(junitPath, xml);
    } catch (error) {
      if (!(error instanceof JunitFileError)) throw error;
      // The pipeline expects the report: without it, the run has not done its job, and running
      // it again will not write it either (a directory gone or read-only, a full disk). The
      // tables or the report are still shown; --json says the error, as for every exit 2.
      io.stdout.write(
        args.json
          ? errorJson({ errorCode: 'JUNIT_NOT_WRITTEN', message: error.message }, false)
          : outcome.stdout,
      );
      io.stderr.write(`sync-doctor: ${error.message}\n`);
      return EXIT.couldNotDiagnose;
    }
  }
  io.stdout.write(outcome.stdout);
  return outcome.code;
}

async function diagnose(args: CheckArgs, io: Io): Promise<CheckOutcome> {
  const style = createStyle(colourWanted(io.stdout, io.env));
  // --quiet: plain lines on stderr, no colour, as no spinner.
  const errStyle = createStyle(!args.quiet && colourWanted(io.stderr, io.env));
  const width = outputWidth(io.stdout);
  const shown = createProgress(io.stderr, {
    interactive: io.stderr.isTTY === true && io.env.TERM !== 'dumb',
    quiet: args.quiet,
  });
  // What the check is doing and has done, for the TIMED_OUT error: the progress steps.
  let doing = 'starting the check';
  const done: string[] = [];
  const progress: Progress = {
    update: (text) => {
      doing = text.replace(/…$/, '');
      shown.update(text);
    },
    note: (text) => shown.note(text),
    stop: () => shown.stop(),
  };
  // One controller for the run: SIGINT and SIGTERM abort it (bin.ts), and so does --deadline.
  // Each request and the Salesforce CLI watch its signal, so they are stopped, not left running.
  const controller = io.cancel ?? new AbortController();
  const { signal } = controller;
  const deadline =
    args.deadlineMs === undefined ? undefined : startDeadline(args.deadlineMs, controller);
  let reached: Reached | undefined;
  // How the advice spells the Salesforce CLI, so a command it suggests works when pasted.
  const sf = sfCommand(io.env, [io.cwd, dirname(process.argv[1] ?? io.cwd)]);
  try {
    let requirements: Requirements = DEFAULT_REQUIREMENTS;
    if (args.requirementsFile)
      requirements = await loadRequirementsFile(args.requirementsFile, io.cwd);
    reached = await reachOrg(args.auth!, args.user, args.timeoutMs, progress, sf, signal);
    done.push(`connected to ${reached.source}`);
    let user = reached.user;
    let userLabel = reached.userLabel ?? user;
    let findingRequests = 0;
    if (!user) {
      // The signed-in user is usually an admin, not the user HubSpot connects as: look for that one.
      progress.update("looking for HubSpot's integration user…");
      const found = await findIntegrationUser(reached.conn);
      for (const note of found.notes) progress.note(note);
      // By id, as for --demo: one request fewer against the org's daily API limit.
      user = found.userId;
      userLabel = found.username;
      findingRequests = found.requests;
      done.push(`found HubSpot's integration user ${found.username}`);
    }
    // A token given to --user by mistake is not repeated.
    progress.update(
      userLabel === undefined || showable(userLabel)
        ? `reading ${userLabel}'s access…`
        : `reading the access of ${describeGiven(userLabel)}…`,
    );
    const { collectSnapshot } = await import('@sync-doctor/salesforce');
    const collected = await collectSnapshot(reached.conn, {
      user,
      requirements,
      relayedStatus: args.portal ? { portalId: args.portal } : {},
    });
    // Nothing is judged from reads an abort may have cut short.
    signal.throwIfAborted();
    progress.update('judging…');
    const diagnosis = evaluateAccess(collected.snapshot, requirements);
    const relayed = collected.relayedStatus
      ? chooseRelayed(collected.relayedStatus, diagnosis, args.portal)
      : undefined;
    progress.stop();
    let stdout: string;
    if (args.json)
      // The diagnosis's own keys stay as they were; what HubSpot reported and whether the user's
      // frozen state, Login History and HubSpot's connected app were read (unread, no finding
      // about them is no proof) are keys beside them.
      stdout = `${JSON.stringify(
        {
          // First, so a pipeline (or a person) sees which contract the document keeps.
          schemaVersion: CHECK_JSON_SCHEMA_VERSION,
          ...diagnosis,
          hubspotReported: relayed ?? null,
          frozen: collected.frozen ?? null,
          loginHistory: collected.loginHistory ?? null,
          connectedApps: collected.connectedApps ?? null,
        },
        null,
        2,
      )}\n`;
    else if (args.report)
      stdout = `${formatReport(printableDeep(diagnosis), {
        snapshot: printableDeep(collected.snapshot),
        status: printableDeep(relayed?.status ?? null),
        // The not-read lines are the core's, as in the app's copied report and the human output.
        ...(collected.loginHistory && !collected.loginHistory.read
          ? { loginsNotRead: loginsNotReadLine(collected.loginHistory) }
          : {}),
        // Worded by the core from the cause, as the app's copied report is.
        ...(collected.frozen && !collected.frozen.read ? { frozenRead: collected.frozen } : {}),
        ...(collected.connectedApps && !collected.connectedApps.read
          ? { connectedAppsNotRead: connectedAppsNotReadLine(collected.connectedApps) }
          : {}),
      }).trimEnd()}\n`;
    else {
      const context: CheckContext = {
        snapshot: collected.snapshot,
        apiUsage: collected.apiUsage,
        requests: collected.requests + findingRequests,
        source: reached.source,
        absentColumns: collected.absentColumns,
        relayed,
        loginHistory: collected.loginHistory,
        frozen: collected.frozen,
        connectedApps: collected.connectedApps,
      };
      // The org's own words (labels, names) and HubSpot's e-mail text are shown, never obeyed.
      stdout = renderDiagnosis(printableDeep(diagnosis), printableDeep(context), {
        style,
        width,
      });
    }
    return { code: exitCodeFor(diagnosis, args.failOn), diagnosis, stdout };
  } catch (error) {
    progress.stop();
    if (error instanceof UsageError) throw error;
    // Once the run's controller aborted, whatever failed with it (ABORTED from a request or the
    // Salesforce CLI, both stopped and sf's exit awaited by @sync-doctor/salesforce) is its doing.
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (reason instanceof DeadlineExceeded)
        return timedOut(args, deadline!, { doing, done, reached }, io, errStyle);
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
  } finally {
    deadline?.clear();
    progress.stop();
    await reached?.close();
  }
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
  errStyle: ReturnType<typeof createStyle>,
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
