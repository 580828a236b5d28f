// The connect step of `sync-doctor check`: reach the org (--demo's simulator, the Salesforce CLI,
// a JWT or an access token) and settle which user is checked.
import type { Connection } from '@sync-doctor/salesforce';
import type { CheckAuth } from '../../args.js';
import { findIntegrationUser } from '../../integrationUser.js';
import { UsageError, describeGiven } from '../../io.js';
import type { Progress } from '../../progress.js';
import type { SfCommand } from '../../sfCommand.js';

export interface Reached {
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
export async function reachOrg(
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

/** The user the check reads, how progress names it, and the requests it took to find it. */
export interface CheckedUser {
  user: string;
  userLabel: string | undefined;
  findingRequests: number;
}

/**
 * --user, or the demo's user; otherwise HubSpot's integration user, looked for. Each step done is
 * added to `done`, for the TIMED_OUT error.
 */
export async function chooseUser(
  reached: Reached,
  progress: Progress,
  done: string[],
): Promise<CheckedUser> {
  if (reached.user)
    return { user: reached.user, userLabel: reached.userLabel ?? reached.user, findingRequests: 0 };
  // The signed-in user is usually an admin, not the user HubSpot connects as: look for that one.
  progress.update("looking for HubSpot's integration user…");
  const found = await findIntegrationUser(reached.conn);
  for (const note of found.notes) progress.note(note);
  done.push(`found HubSpot's integration user ${found.username}`);
  // By id, as for --demo: one request fewer against the org's daily API limit.
  return { user: found.userId, userLabel: found.username, findingRequests: found.requests };
}
