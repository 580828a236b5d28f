import { DEFAULT_REQUIREMENTS } from '@sync-doctor/core';
import { dirname } from 'node:path';
import { CHECK_USAGE, parseCheckArgs, type CheckArgs } from '../args.js';
import { CHECK_JSON_SCHEMA } from '../checkJsonSchema.js';
import { startDeadline } from '../deadline.js';
import { EXIT, UsageError, errorJson, hideSecrets, outputWidth, type Io } from '../io.js';
import {
  JunitFileError,
  prepareJunitFile,
  whenInterrupted,
  writeJunitFile,
  writeJunitFileNow,
} from '../junitFile.js';
import { createProgress, type Progress } from '../progress.js';
import { sfCommand } from '../sfCommand.js';
import { fitHelp } from '../render/help.js';
import { renderJunit, renderJunitFailure } from '../render/junit.js';
import { colourWanted, createStyle } from '../render/style.js';
import { loadRequirementsFile } from '../requirementsFile.js';
import { collectAndJudge } from './check/collect.js';
import { chooseUser, reachOrg, type Reached } from './check/connect.js';
import { decideExit } from './check/exit.js';
import { couldNotDiagnose, type CheckOutcome } from './check/failed.js';
import { renderOutput } from './check/report.js';

export { decideExit, exitCodeFor, type ExitDecision } from './check/exit.js';

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
        ? renderJunit(outcome.diagnosis, { failOn: args.failOn, relayed: outcome.relayed })
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

/** The check itself: connect to the org and find the user, collect and judge, report. */
async function diagnose(args: CheckArgs, io: Io): Promise<CheckOutcome> {
  const style = createStyle(colourWanted(io.stdout, io.env));
  // --quiet: plain lines on stderr, no colour, as no spinner.
  const errStyle = createStyle(!args.quiet && colourWanted(io.stderr, io.env));
  const width = outputWidth(io.stdout);
  const { progress, steps } = trackSteps(
    createProgress(io.stderr, {
      interactive: io.stderr.isTTY === true && io.env.TERM !== 'dumb',
      quiet: args.quiet,
    }),
  );
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
    const requirements = args.requirementsFile
      ? await loadRequirementsFile(args.requirementsFile, io.cwd)
      : DEFAULT_REQUIREMENTS;
    reached = await reachOrg(args.auth!, args.user, args.timeoutMs, progress, sf, signal);
    steps.done.push(`connected to ${reached.source}`);
    const user = await chooseUser(reached, progress, steps.done);
    const judged = await collectAndJudge(
      reached.conn,
      user,
      requirements,
      args.portal,
      progress,
      signal,
    );
    progress.stop();
    const exit = decideExit(judged.diagnosis, judged.relayed?.status, {
      ...args,
      statusUnread: judged.relayed?.unavailable,
    });
    const stdout = renderOutput(
      args,
      judged,
      { source: reached.source, findingRequests: user.findingRequests },
      { style, width },
      exit,
    );
    // Why a gate stops (or passes partly checked), in one line whatever stdout holds: a suspension
    // exits 1 under findings that pass, and 3 is no failure of the check itself.
    if (exit.reason !== 'healthy' && exit.reason !== 'findings')
      io.stderr.write(`${errStyle.bold(`sync-doctor: exit ${exit.code}:`)} ${exit.message}\n`);
    return {
      code: exit.code,
      diagnosis: judged.diagnosis,
      relayed: judged.relayed,
      stdout,
    };
  } catch (error) {
    progress.stop();
    const state = { doing: steps.doing, done: steps.done, reached };
    return await couldNotDiagnose(error, {
      args,
      io,
      errStyle,
      width,
      sf,
      signal,
      deadline,
      state,
    });
  } finally {
    deadline?.clear();
    progress.stop();
    await reached?.close();
  }
}

/** The progress shown, and what the check is doing and has done by its steps, for the TIMED_OUT error. */
function trackSteps(shown: Progress): {
  progress: Progress;
  steps: { doing: string; done: string[] };
} {
  const steps = { doing: 'starting the check', done: [] as string[] };
  const progress: Progress = {
    update: (text) => {
      steps.doing = text.replace(/…$/, '');
      shown.update(text);
    },
    note: (text) => shown.note(text),
    stop: () => shown.stop(),
  };
  return { progress, steps };
}
