import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, ENVIRONMENT_HELP, loadConfig } from '../src/config.js';
import { assertBuilt, runRelayBin } from './childRelay.js';
import { tempDir } from './helpers.js';

// What an operator mistypes in the environment is refused at start with one line naming the
// variable, never a stack trace and never silently ignored.
describe('configuration from the environment', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const load = (env: Record<string, string>) => loadConfig({ RELAY_DATA_DIR: dir.path, ...env });
  const refusal = (env: Record<string, string>): string => {
    try {
      load(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  };

  test.each([
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace'],
    [{ RELAY_TRUST_PROXY: 'bogus/99' }, 'RELAY_TRUST_PROXY is not a list'],
    [{ RELAY_TRUST_PROXY: '10.0.0.0/33' }, '"10.0.0.0/33"'],
    [{ RELAY_TRUST_PROXY: '10.0.0.1,' }, 'RELAY_TRUST_PROXY is not a list'],
    [{ PORT: '99999' }, 'PORT must be an integer from 0 to 65535'],
    [{ RELAY_OUTBOX: 'maybe' }, 'RELAY_OUTBOX must be on or off'],
    [{ RELAY_PUBLIC_READS: 'yes please' }, 'RELAY_PUBLIC_READS must be on or off'],
    [{ RELAY_DETECTOR: 'enabled' }, 'RELAY_DETECTOR must be on or off'],
    [{ RELAY_SIGNALS_LEADER: 'me' }, 'RELAY_SIGNALS_LEADER must be on or off'],
    [{ RELAY_ACCESS_WATCH: 'sometimes' }, 'RELAY_ACCESS_WATCH must be on or off'],
    [
      { RELAY_ACCESS_WATCH_MINUTES: '0' },
      'RELAY_ACCESS_WATCH_MINUTES must be an integer >= 1, got "0"',
    ],
    [{ RELAY_ACCESS_WATCH_MINUTES: '1.5' }, 'RELAY_ACCESS_WATCH_MINUTES must be an integer >= 1'],
    [
      { RELAY_ACCESS_WATCH_MINUTES: 'hourly' },
      'RELAY_ACCESS_WATCH_MINUTES must be an integer >= 1',
    ],
    [{ RELAY_ACCESS_WATCH_MINUTES: '10081' }, 'RELAY_ACCESS_WATCH_MINUTES must be at most 10080'],
    [
      { HTTPS_PROXY: 'socks4://proxy:1080' },
      'HTTPS_PROXY must be an http://, https://, socks5:// or socks5h:// URL, got a socks4:// URL',
    ],
    [{ https_proxy: 'http://[bad' }, 'https_proxy is not a URL'],
    // A mistyped HOST failed at listen with exit 1, which systemd restarts every 5 s for good.
    [{ HOST: 'not_a_host' }, 'HOST must be an IP address or a host name'],
    [{ HOST: 'not_a_host' }, 'got "not_a_host"'],
    [{ HOST: '999.1.1.1' }, 'HOST must be an IP address or a host name'],
    [{ HOST: '0.0.0.0:8787' }, 'HOST must be an IP address or a host name'],
    [{ RELAY_PUBLIC_URL: 'relay.example.com' }, 'RELAY_PUBLIC_URL must be an http(s):// URL'],
    [{ RELAY_APP_URL: 'ftp://app' }, 'RELAY_APP_URL must be an http(s):// URL'],
    // Pairs that contradict each other, named with both values (a default said so).
    [
      { RELAY_RETRY_BASE_MS: '60000', RELAY_RETRY_MAX_MS: '5000' },
      'RELAY_RETRY_BASE_MS 60000 is above RELAY_RETRY_MAX_MS 5000: the first retry delay must not exceed the longest',
    ],
    [
      { RELAY_RETRY_BASE_MS: '600000' },
      'RELAY_RETRY_BASE_MS 600000 is above RELAY_RETRY_MAX_MS (default 300000)',
    ],
    [
      { RELAY_RETRY_MAX_MS: '500' },
      'RELAY_RETRY_BASE_MS (default 1000) is above RELAY_RETRY_MAX_MS 500',
    ],
    [
      { RELAY_DETECTOR_STALE_AFTER_MS: '600000' },
      'RELAY_DETECTOR_GRACE_MS (default 1800000) is above RELAY_DETECTOR_STALE_AFTER_MS 600000',
    ],
    // Which to change, with the values that would do: the one left at its default may be the one
    // the operator never thought of.
    [
      { RELAY_RETRY_MAX_MS: '500' },
      'set RELAY_RETRY_BASE_MS to 500 or less, or RELAY_RETRY_MAX_MS to 1000 or more',
    ],
    [
      { RELAY_DETECTOR_STALE_AFTER_MS: '600000' },
      'set RELAY_DETECTOR_GRACE_MS to 600000 or less, or RELAY_DETECTOR_STALE_AFTER_MS to 1800000 or more',
    ],
    // A lease shorter than a delivery's call may take lets the same change be sent twice.
    [{ RELAY_OUTBOX_LEASE_MS: '1000' }, 'RELAY_OUTBOX_LEASE_MS must be an integer >= 2000'],
  ])('%j is refused', (env, message) => {
    expect(refusal(env)).toContain(message);
  });

  test('the edges of those pairs are taken: a base equal to the maximum, a grace equal to the stale time, a 2 s lease', () => {
    const config = load({
      RELAY_RETRY_BASE_MS: '5000',
      RELAY_RETRY_MAX_MS: '5000',
      RELAY_DETECTOR_STALE_AFTER_MS: '1800000',
      RELAY_OUTBOX_LEASE_MS: '2000',
    });
    expect(config.outbox).toMatchObject({ baseDelayMs: 5000, maxDelayMs: 5000, leaseMs: 2000 });
    expect(config.signals.detector.thresholds).toEqual({ staleAfterMs: 1_800_000 });
  });

  test('--help says which settings go in pairs', () => {
    expect(ENVIRONMENT_HELP).toMatch(/RELAY_RETRY_MAX_MS[^\n]*not below RELAY_RETRY_BASE_MS/);
    expect(ENVIRONMENT_HELP).toMatch(
      /RELAY_DETECTOR_GRACE_MS[^\n]*\n[^\n]*not above RELAY_DETECTOR_STALE_AFTER_MS/,
    );
    expect(ENVIRONMENT_HELP).toMatch(/RELAY_OUTBOX_LEASE_MS[^\n]*at least 2000/);
  });

  test('--help keeps every line of a setting in its column (the PEM\'s "\\n" is shown, not a line break)', () => {
    // A "\n" written into the help's template literal broke the Google service-account line in two,
    // leaving a line of its own at the left margin.
    expect(ENVIRONMENT_HELP).toContain('the PEM with newlines or \\n); token');
    const environment = ENVIRONMENT_HELP.slice(ENVIRONMENT_HELP.indexOf('Environment:'));
    const strays = environment.split('\n').filter((line) => /^[^\sA-Za-z]/.test(line));
    expect(strays).toEqual([]);
  });

  test("--help fits a 100-column terminal, as the CLI's help does", () => {
    // A longer line wraps at the terminal's edge into the next setting's name column.
    const wide = ENVIRONMENT_HELP.split('\n').filter((line) => line.length > 100);
    expect(wide).toEqual([]);
  });

  test("an egress proxy may be http(s) or SOCKS5 (the package's own client, given checked addresses only)", () => {
    for (const url of [
      'http://proxy:3128',
      'https://proxy:3129',
      'socks5://proxy:1080',
      'socks5h://user:pw@proxy:1080',
    ])
      expect(() => load({ HTTPS_PROXY: url })).not.toThrow();
    expect(refusal({ https_proxy: 'socks4a://proxy:1080' })).toContain('got a socks4a:// URL');
  });

  test('HOST takes addresses and names', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'localhost', 'relay-1.internal'])
      expect(load({ HOST: host }).host).toBe(host);
    expect(load({ RELAY_PUBLIC_URL: 'https://relay.example.com' }).publicUrl).toBe(
      'https://relay.example.com',
    );
  });

  test('the access watch is on every 60 minutes unless told otherwise', () => {
    expect(load({}).signals.accessWatch).toEqual({ enabled: true, intervalMs: 60 * 60_000 });
    expect(load({ RELAY_ACCESS_WATCH_MINUTES: '15' }).signals.accessWatch.intervalMs).toBe(
      15 * 60_000,
    );
    expect(load({ RELAY_ACCESS_WATCH: 'off' }).signals.accessWatch.enabled).toBe(false);
  });

  test('a DATABASE_URL that is not a postgres:// URL is refused without repeating it', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const notUrl = refusal({ DATABASE_URL: 'hunter2-not-a-url', RELAY_SECRET_KEY: key });
    expect(notUrl).toContain('DATABASE_URL is not a URL');
    const mysql = refusal({
      DATABASE_URL: 'mysql://relay:hunter2@db.internal/relay',
      RELAY_SECRET_KEY: key,
    });
    expect(mysql).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    for (const message of [notUrl, mysql]) expect(message).not.toContain('hunter2');
    expect(
      load({ DATABASE_URL: 'postgresql://relay:pw@db/relay', RELAY_SECRET_KEY: key }).databaseUrl,
    ).toBe('postgresql://relay:pw@db/relay');
  });

  test('flags say what they mean: "no" turns the outbox off, "true" turns the detector on', () => {
    const config = load({
      RELAY_OUTBOX: 'no',
      RELAY_DETECTOR: 'true',
      RELAY_PUBLIC_READS: 'ON',
      RELAY_ALERTS: '0',
      RELAY_ALLOW_PRIVATE_TARGETS: 'yes',
      RELAY_SIGNALS_LEADER: 'off',
    });
    expect(config.outbox.enabled).toBe(false);
    expect(config.signals.detector.enabled).toBe(true);
    expect(config.publicReads).toBe(true);
    expect(config.signals.alerts.enabled).toBe(false);
    expect(config.allowPrivateTargets).toBe(true);
    expect(config.signals.leader).toBe('off');
    // The documented spellings keep working, and unset keeps the defaults.
    const documented = load({
      RELAY_OUTBOX: 'off',
      RELAY_DETECTOR: 'on',
      RELAY_SIGNALS_LEADER: '1',
    });
    expect([documented.outbox.enabled, documented.signals.detector.enabled]).toEqual([false, true]);
    expect(documented.signals.leader).toBe('on');
    const defaults = load({});
    expect([defaults.outbox.enabled, defaults.publicReads, defaults.signals.leader]).toEqual([
      true,
      false,
      'auto',
    ]);
  });

  test('RELAY_TRUST_PROXY takes addresses, CIDRs, netmasks and the three names', () => {
    expect(
      load({ RELAY_TRUST_PROXY: '10.0.0.0/8, 192.168.1.1,loopback,::1/128,10.0.0.0/255.0.0.0' })
        .trustProxy,
    ).toBe('10.0.0.0/8, 192.168.1.1,loopback,::1/128,10.0.0.0/255.0.0.0');
    expect(load({ RELAY_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  test('the binary refuses them in one line with exit code 2, no stack trace', () => {
    assertBuilt();
    for (const env of [
      { LOG_LEVEL: 'verbose' },
      { RELAY_TRUST_PROXY: 'bogus/99' },
      { RELAY_RETRY_BASE_MS: '60000', RELAY_RETRY_MAX_MS: '5000' },
      { RELAY_DETECTOR_GRACE_MS: '7200001' },
    ]) {
      const run = runRelayBin({ RELAY_DATA_DIR: dir.path, PORT: '0', ...env });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^configuration error: [^\n]+\n$/);
      expect(run.stdout).toBe('');
    }
  });

  test('--help names every environment variable the relay and its Salesforce connections read', () => {
    const files = (root: string): string[] =>
      readdirSync(root, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? files(join(root, entry.name))
          : entry.name.endsWith('.ts')
            ? [join(root, entry.name)]
            : [],
      );
    const sources = [
      ...files(resolve(__dirname, '../src')),
      // The proxy setting a Salesforce connection reads (HTTPS_PROXY, NO_PROXY...).
      ...files(resolve(__dirname, '../../../packages/salesforce/src/proxy')),
    ];
    const read = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of [
        /\benv\.([A-Za-z][A-Za-z0-9_]*)/g,
        /\benv\[['"]([A-Za-z][A-Za-z0-9_]*)['"]\]/g,
        /\(env, '([A-Z][A-Z0-9_]*)'/g,
        /\bset\('([A-Z][A-Z0-9_]*)'/g,
        /\['(https?_proxy)', '(HTTPS?_PROXY)'/g,
      ])
        for (const match of text.matchAll(pattern)) read.add(match[1]!.toUpperCase());
    }
    expect(read).toContain('HTTPS_PROXY');
    expect(read).toContain('NO_PROXY');
    expect(read).toContain('RELAY_OUTBOX');
    const missing = [...read].filter((name) => !new RegExp(`\\b${name}\\b`).test(ENVIRONMENT_HELP));
    expect(missing).toEqual([]);
  });
});

describe('a PostgreSQL database the relay cannot reach at start', () => {
  test('is named in one line, with where it was looked for and never the password, exit 1', async () => {
    assertBuilt();
    // A port nobody listens on: bind one, note it, close it.
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolvePort) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolvePort(free));
      });
    });
    const run = runRelayBin({
      PORT: '0',
      DATABASE_URL: `postgres://relay:hunter2@127.0.0.1:${port}/relay`,
      RELAY_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `sync-doctor-relay failed to start: the PostgreSQL database at 127.0.0.1:${port}/relay (DATABASE_URL) cannot be used: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    expect(run.stdout).not.toContain('hunter2');
  });
});

describe('a port already in use', () => {
  test('is named with HOST and PORT in one line, exit 1, after stopping what the relay had started', async () => {
    assertBuilt();
    const { createServer } = await import('node:net');
    const taken = createServer();
    const port = await new Promise<number>((resolvePort) =>
      taken.listen(0, '127.0.0.1', () => resolvePort((taken.address() as { port: number }).port)),
    );
    const dir = tempDir();
    try {
      const run = runRelayBin({ HOST: '127.0.0.1', PORT: String(port), RELAY_DATA_DIR: dir.path });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `sync-doctor-relay failed to start: cannot listen on 127.0.0.1:${port} (HOST, PORT): listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
      );
      // listen() had readied the app (outbox, signals leader): it was closed, not cut off.
      expect(run.stdout).toContain('"msg":"gave up the lead"');
    } finally {
      dir.remove();
      await new Promise((done) => taken.close(done));
    }
  });
});
