/**
 * `npm start`'s own mistakes are said in a line or two with what to do, exit 2: an unknown flag
 * printed node's parseArgs stack trace, and a port already in use (a second `npm start`) printed
 * an EADDRINUSE stack trace after half a minute of building the browser bundle.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { previewRoot } from '../previewRoot.cjs';
import { compiledScript } from './support/compiled.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  milliseconds: number;
}

function start(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [compiledScript('start.js'), ...args], {
    cwd: previewRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Should it start after all, it must not outlive the test.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, milliseconds: Date.now() - started });
    }),
  );
}

beforeAll(() => {
  compiledScript('start.js');
}, 120_000);

it('an unknown flag: one line naming it and where the options are, no stack trace, exit 2', async () => {
  const run = await start(['--fixure', 'healthy']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("Unknown option '--fixure'");
  expect(run.stderr).toContain('npm start -- --help');
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
});

it('a flag without its value says so, exit 2', async () => {
  const run = await start(['--port']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--port.*value/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
});

it('an unknown size or variant names the known ones, exit 2', async () => {
  const size = await start(['--size', 'huge']);
  expect(size.code).toBe(2);
  expect(size.stderr).toContain('Unknown size "huge". One of: default, large');
  const variant = await start(['--variant', 'frozen-integration-user', '--variant', 'nope']);
  expect(variant.code).toBe(2);
  expect(variant.stderr).toContain(
    'Unknown variant "nope". One of: admin-without-user-rights, frozen-integration-user, viewer',
  );
  expect(variant.stderr).not.toMatch(/\n\s+at /);
});

describe('a port already in use', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('says which and how to pick another, before building anything, exit 2', async () => {
    const run = await start([], { PORT: String(port) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(run.stderr).toContain('PORT=');
    expect(run.stderr).toContain('--port');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // Said at once, not after the browser bundle's build.
    expect(run.stdout).not.toContain('Built the browser bundle');
    expect(run.milliseconds).toBeLessThan(20_000);
  }, 90_000);
});
