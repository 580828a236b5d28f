import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ENVIRONMENT_HELP } from '../src/config.js';
import { assertBuilt, relayTmpDir } from './childRelay.js';
import { tempDir } from './helpers.js';

// The systemd unit an operator copies to /etc/systemd/system. No systemd runs as PID 1 here, so
// the sandbox itself cannot be exercised; what can be is checked: systemd's own parser, its offline
// security score, and the relay started with the unit's exact command and environment (the example
// settings file as shipped) and stopped with the unit's signal.
const DEPLOY = resolve(__dirname, '../deploy/systemd');
const UNIT = join(DEPLOY, 'sync-doctor-relay.service');
const ENV_EXAMPLE = join(DEPLOY, 'relay.env.example');
const INSTALL_DIR = '/opt/sync-doctor';
const REPO_ROOT = resolve(__dirname, '../../..');

/** The unit as it would be on a host where the repository is checked out at REPO_ROOT. */
const unitHere = (): string => readFileSync(UNIT, 'utf8').replaceAll(INSTALL_DIR, REPO_ROOT);

/** The [Service] section's settings, in order (a key may repeat, like Environment=). */
function serviceSettings(unit: string): [string, string][] {
  const settings: [string, string][] = [];
  let section = '';
  for (const raw of unit.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!;
    else if (section === 'Service') {
      const at = line.indexOf('=');
      settings.push([line.slice(0, at), line.slice(at + 1)]);
    }
  }
  return settings;
}

const setting = (unit: string, key: string): string => {
  const found = serviceSettings(unit).find(([name]) => name === key);
  if (!found) throw new Error(`the unit has no ${key}=`);
  return found[1];
};

/** systemd's EnvironmentFile format: KEY=VALUE lines; `#` lines are comments. */
function envFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

function systemdAnalyze(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('systemd-analyze', args, { encoding: 'utf8', timeout: 60_000 });
  if (run.error)
    throw new Error(
      `systemd-analyze could not run (${run.error.message}): install systemd (apt-get install -y systemd); .ci/run does`,
    );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('deploy/systemd/sync-doctor-relay.service', () => {
  test('passes systemd-analyze verify', () => {
    const dir = tempDir();
    try {
      const copy = join(dir.path, 'sync-doctor-relay.service');
      writeFileSync(copy, unitHere());
      const run = systemdAnalyze(['verify', copy]);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      dir.remove();
    }
  });

  test('scores as well sandboxed by systemd-analyze security (exposure at most 2.0 of 10)', () => {
    const run = systemdAnalyze(['security', '--offline=true', '--no-pager', UNIT]);
    const score = /Overall exposure level for sync-doctor-relay\.service: ([\d.]+)/.exec(
      run.stdout,
    );
    expect(score).not.toBeNull();
    expect(Number(score![1])).toBeLessThanOrEqual(2.0);
  });

  test('sets only variables the relay reads (every one is in --help)', () => {
    const unit = readFileSync(UNIT, 'utf8');
    const example = readFileSync(ENV_EXAMPLE, 'utf8');
    const names = new Set([
      ...serviceSettings(unit)
        .filter(([key]) => key === 'Environment')
        .map(([, value]) => value.slice(0, value.indexOf('='))),
      // Commented-out settings too: an operator uncomments them as they are.
      ...[...example.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!),
    ]);
    names.delete('NODE_ENV');
    expect(names.size).toBeGreaterThan(5);
    const unknown = [...names].filter(
      (name) => !new RegExp(`\\b${name}\\b`).test(ENVIRONMENT_HELP),
    );
    expect(unknown).toEqual([]);
  });

  test('a configuration error exits with the status the unit does not restart on', () => {
    assertBuilt();
    const unit = unitHere();
    const [node, ...args] = setting(unit, 'ExecStart').split(' ');
    const tmp = relayTmpDir();
    const run = spawnSync(node!, args, {
      encoding: 'utf8',
      env: { ...envFile(readFileSync(ENV_EXAMPLE, 'utf8')), PORT: 'eighty', TMPDIR: tmp.path },
      timeout: 20_000,
    });
    tmp.remove();
    expect(run.stderr).toContain('configuration error: PORT');
    expect(String(run.status)).toBe(setting(unit, 'RestartPreventExitStatus'));
  });

  test('its command and environment start the relay, and its stop signal drains it to exit 0', async () => {
    assertBuilt();
    const unit = unitHere();
    const dir = tempDir();
    const tmp = relayTmpDir();
    const [node, ...args] = setting(unit, 'ExecStart').split(' ');
    const unitEnv = Object.fromEntries(
      serviceSettings(unit)
        .filter(([key]) => key === 'Environment')
        .map(([, value]) => [
          value.slice(0, value.indexOf('=')),
          value.slice(value.indexOf('=') + 1),
        ]),
    );
    // StateDirectory= makes /var/lib/<name> for the service; here a temporary directory stands in.
    expect(unitEnv.RELAY_DATA_DIR).toBe(`/var/lib/${setting(unit, 'StateDirectory')}`);
    const child = spawn(node!, args, {
      // systemd gives the service no PATH of the shell; the example settings file as shipped.
      env: {
        ...envFile(readFileSync(ENV_EXAMPLE, 'utf8')),
        ...unitEnv,
        RELAY_DATA_DIR: dir.path,
        PORT: '0',
        // A busy test machine lags the event loop at start, and /health would answer 503
        // "overloaded": load shedding is not what this test is about.
        RELAY_MAX_EVENT_LOOP_DELAY_MS: '0',
        // Its own instead of the machine's /tmp (systemd's PrivateTmp= gives the service one too).
        TMPDIR: tmp.path,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const address = await new Promise<string>((found, reject) => {
        child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output.join('')}`)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          output.push(line);
          const match = /"address":"([^"]+)".*sync-doctor-relay listening/.exec(line);
          if (match) found(match[1]!);
        });
      });
      const health = await fetch(`${address}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store: 'sqlite' });

      const stopBy = Number(setting(unit, 'TimeoutStopSec')) * 1000;
      child.kill(setting(unit, 'KillSignal') as NodeJS.Signals);
      const code = await Promise.race([
        exited,
        new Promise<string>((late) => setTimeout(() => late('still running'), stopBy).unref()),
      ]);
      expect(code).toBe(0);
      expect(output.join('\n')).toContain('"signal":"SIGTERM"');
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      dir.remove();
      tmp.remove();
    }
  });
});
