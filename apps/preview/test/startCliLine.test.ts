/**
 * `npm start` prints, beside the signed `curl` lines of a demo suspension, a `sync-doctor check`
 * line for the same running simulated org: `check --demo` starts an org of its own, which the
 * relay never wrote to, so the app and the CLI could not be compared on a suspension. Pasted as
 * printed (after the curl), the CLI shows the suspension the relay carried into the org.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SUSPENSION_REASONS } from '@sync-doctor/core';
import { previewRoot, repoRoot } from '../previewRoot.cjs';
import { compiledScript } from './support/compiled.js';

// The CLI's own build check (its jest globalSetup): the line runs `npx sync-doctor`, i.e. its dist.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const buildCli = require('../../cli/test/buildOnce.cjs') as () => Promise<void>;

let child: ChildProcess | null = null;
let banner = '';

/** Runs pasted shell lines as a user's bash would, from the repository root, Node 24 on PATH. */
function paste(lines: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
  };
  // Only the line's own token may reach the CLI.
  delete env.SYNC_DOCTOR_ACCESS_TOKEN;
  delete env.FORCE_COLOR;
  return new Promise((done) =>
    execFile('bash', ['-c', lines], { cwd: repoRoot, env, timeout: 40_000 }, (error, out, err) =>
      done({
        code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
        stdout: String(out),
        stderr: String(err),
      }),
    ),
  );
}

beforeAll(async () => {
  await buildCli();
  const script = compiledScript('start.js');
  const started = spawn(process.execPath, [script, '--port', '0'], {
    cwd: previewRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let stderr = '';
  started.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    started.stdout.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes('Ctrl+C stops everything.')) resolve();
    });
    started.on('close', (code) =>
      reject(new Error(`npm start exited ${code} before it was up:\n${banner}\n${stderr}`)),
    );
  });
}, 180_000);

afterAll(async () => {
  const running = child;
  if (!running || running.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const guard = setTimeout(() => running.kill('SIGKILL'), 10_000);
    running.on('close', () => {
      clearTimeout(guard);
      resolve();
    });
    running.kill('SIGTERM');
  });
});

it('prints a CLI line for the running simulated org that shows the suspension the app shows', async () => {
  const lines = banner.split('\n');
  const first = lines.findIndex((line) => line.startsWith('secret='));
  const last = lines.findIndex((line) => line.startsWith('curl -sS'));
  const check = lines.find((line) => line.includes('npx sync-doctor check'));
  expect(first).toBeGreaterThanOrEqual(0);
  expect(check).toBeDefined();
  // The running simulator's URL (not `--demo`, which starts an org of its own) and its token.
  expect(check).not.toContain('--demo');
  expect(check).toMatch(
    /^SYNC_DOCTOR_ACCESS_TOKEN='[^']+' npx sync-doctor check --instance-url http:\/\/127\.0\.0\.1:\d+ --user \S+ --portal \d+$/,
  );
  // One line says what it does, right above it.
  expect(banner).toContain('Then check this same simulated org with the CLI');

  // Before any suspension, the same line finds nothing relayed.
  const before = await paste(check!);
  expect(before.stdout).toContain('No suspension has been relayed for portal');

  const sent = await paste(lines.slice(first, last + 1).join('\n'));
  expect(JSON.parse(sent.stdout)).toMatchObject({ status: { state: 'suspended' } });

  // The relay writes the status into the org from its outbox (polled every 100 ms), as a pasting
  // admin gives it seconds: try the line again for a few seconds.
  const title = SUSPENSION_REASONS.OBJECT_PERMISSIONS_MISSING.titles.en;
  let after = await paste(check!);
  for (let tries = 0; tries < 10 && !after.stdout.includes(`SUSPENDED  ${title}`); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    after = await paste(check!);
  }
  expect(after.stderr).not.toMatch(/SYNC_DOCTOR_ACCESS_TOKEN|--access-token/);
  const out = after.stdout;
  // read-only-contacts: BLOCKED (exit 1), and the relayed reason right under the verdict.
  expect(after.code).toBe(1);
  expect(out).toContain('HubSpot reported');
  expect(out).toContain(`SUSPENDED  ${title}`);
  expect(out).not.toContain('No suspension has been relayed');
}, 120_000);
