import { execFile } from 'node:child_process';
import { SalesforceError } from '../errors.js';

/** What `sf org display --target-org ALIAS --json` reports in `result` (fields we use). */
export interface SfOrgDisplay {
  accessToken: string;
  instanceUrl: string;
  username?: string;
  id?: string;
  connectedStatus?: string;
}

function run(
  binary: string,
  args: string[],
  timeoutMs: number,
): Promise<{
  stdout: string;
  stderr: string;
  error: (Error & { code?: string | number | null; killed?: boolean }) | null;
}> {
  return new Promise((resolve) => {
    execFile(
      binary,
      args,
      {
        timeout: timeoutMs,
        // Killed at the deadline; SIGKILL because a CLI stuck at a prompt may ignore SIGTERM.
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
        env: { ...process.env, SF_JSON_TO_STDOUT: 'true' },
      },
      (error, stdout, stderr) => {
        resolve({ stdout: String(stdout), stderr: String(stderr), error });
      },
    );
  });
}

/**
 * Reads the session of an org the Salesforce CLI has authorised. The CLI refreshes an expired
 * access token itself when asked to display the org, so this is also how a CLI session is renewed.
 * `sf` prints JSON on stdout even when it fails (`{ status: 1, name, message }`).
 */
export async function sfOrgDisplay(
  targetOrg: string,
  options: { binary?: string; timeoutMs?: number } = {},
): Promise<SfOrgDisplay> {
  if (!targetOrg.trim() || targetOrg.startsWith('-'))
    throw new TypeError(`Not an org alias or username: '${targetOrg}'`);
  const binary = options.binary ?? 'sf';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const { stdout, error } = await run(
    binary,
    ['org', 'display', '--target-org', targetOrg, '--json'],
    timeoutMs,
  );
  if (error?.killed) {
    throw new SalesforceError({
      errorCode: 'SF_CLI_TIMEOUT',
      message: `The Salesforce CLI ('sf org display --target-org ${targetOrg}') did not finish within ${timeoutMs / 1000} s and was stopped. Run it yourself to see what it waits for (a prompt, a session refresh the network blocks), or pass --instance-url and --access-token instead.`,
    });
  }
  if (error && (error.code === 'ENOENT' || error.code === 'EACCES')) {
    throw new SalesforceError({
      errorCode: 'SF_CLI_NOT_FOUND',
      message: `The Salesforce CLI ('${binary}') is not installed or not on PATH. Install it (npm install --global @salesforce/cli) and run 'sf org login web --alias ${targetOrg}', or pass --instance-url and --access-token instead.`,
    });
  }
  let parsed:
    | { status?: number; name?: string; message?: string; result?: Partial<SfOrgDisplay> }
    | undefined;
  try {
    parsed = JSON.parse(stdout.slice(stdout.indexOf('{')));
  } catch {
    parsed = undefined;
  }
  const result = parsed?.result;
  if (!parsed || parsed.status !== 0 || !result?.accessToken || !result.instanceUrl) {
    const detail = parsed?.message ?? (error ? error.message.split('\n')[0] : 'no JSON answer');
    throw new SalesforceError({
      errorCode: 'SF_CLI_ORG_NOT_AUTHORIZED',
      message: `The Salesforce CLI has no usable session for '${targetOrg}' (${parsed?.name ?? 'error'}: ${detail}). Run 'sf org login web --alias ${targetOrg}' and try again.`,
    });
  }
  return {
    accessToken: result.accessToken,
    instanceUrl: result.instanceUrl,
    username: result.username,
    id: result.id,
    connectedStatus: result.connectedStatus,
  };
}
