/**
 * connect's `signal`: when it aborts, what the connection does stops at once: requests in flight
 * are aborted (their sockets closed, which the server sees), later ones are not sent, the
 * Salesforce CLI is killed with its process group, and each rejects with ABORTED, which is no
 * passing failure (the caller decided to stop; it tells its reasons apart by signal.reason).
 */
import { generateKeyPairSync } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import { getEventListeners } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sfOrgDisplay } from '../src/auth/sfCli.js';
import { connect, type ConnectOptions } from '../src/connect.js';
import { SalesforceError } from '../src/errors.js';
import { isTransientSalesforceFailure } from '../src/transient.js';
import { PassThrough } from 'node:stream';
import {
  abortSignalOf,
  guardTransport,
  requestCount,
  sendRest,
  type JsforceTransport,
} from '../src/transport.js';
import { running } from './processes.js';
import { within } from './bounds.js';

interface Silent {
  url: string;
  server: Server;
  /** Resolves with the server side of the first request's socket once a request arrived. */
  requested: Promise<Socket>;
  /** Resolves when the server saw that socket close. */
  closed: Promise<void>;
  hits: number;
}

/** A server that takes requests and never answers them (or, with `answer`, answers in part). */
async function silentServer(
  answer: (req: IncomingMessage, res: ServerResponse) => void = () => undefined,
): Promise<Silent> {
  let requestedResolve!: (socket: Socket) => void;
  const requested = new Promise<Socket>((resolve) => (requestedResolve = resolve));
  const state = { hits: 0 } as Silent;
  const server = createServer((req, res) => {
    state.hits += 1;
    answer(req, res);
    requestedResolve(req.socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.server = server;
  state.requested = requested;
  state.closed = requested.then(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
      }),
  );
  return state;
}

async function closeServer(silent: Silent): Promise<void> {
  silent.server.closeAllConnections();
  await new Promise<void>((resolve) => silent.server.close(() => resolve()));
}

const servers: Silent[] = [];
async function serve(answer?: (req: IncomingMessage, res: ServerResponse) => void) {
  const silent = await silentServer(answer);
  servers.push(silent);
  return silent;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

// Without a lookup (the CLI: direct requests through lookupTransport.ts with the system resolver)
// and with one (the relay).
const ways: [string, Pick<ConnectOptions, 'lookup'>][] = [
  ['without a lookup', {}],
  ['with a lookup', { lookup: dnsLookup as LookupFunction }],
];

describe.each(ways)('a request in flight, %s', (_name, extra) => {
  it('is aborted when the signal aborts: ABORTED naming the reason, not retryable, and the socket closed', async () => {
    const silent = await serve();
    const controller = new AbortController();
    const conn = await connect({
      ...extra,
      instanceUrl: silent.url,
      accessToken: 'token-1',
      // Far beyond the test: only the abort can end the request.
      timeoutMs: 600_000,
      signal: controller.signal,
    });
    expect(abortSignalOf(conn)).toBe(controller.signal);
    const sent = sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }).catch(
      (error: unknown) => error,
    );
    await within(silent.requested, 'the request reached the server');
    controller.abort(new Error('the deadline of 2 s passed'));
    const error = await within(sent, 'the request rejected');
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({
      errorCode: 'ABORTED',
      request: 'GET /services/data/v64.0/limits',
      message: `The request to ${silent.url}/services/data/v64.0/limits was aborted by its caller: the deadline of 2 s passed`,
    });
    expect(isTransientSalesforceFailure(error)).toBe(false);
    // The server sees the connection go: the request was aborted, not left running.
    await within(silent.closed, 'the server saw the socket close');
  });

  it('a body that stalls after the headers: aborted too, its socket closed', async () => {
    const silent = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.write('{"totalSize": 1, "done": true, "records": [');
    });
    const controller = new AbortController();
    const conn = await connect({
      ...extra,
      instanceUrl: silent.url,
      accessToken: 'token-1',
      timeoutMs: 600_000,
      signal: controller.signal,
    });
    const sent = sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }).catch(
      (error: unknown) => error,
    );
    await within(silent.requested, 'the request reached the server');
    controller.abort();
    expect(await within(sent, 'the request rejected')).toMatchObject({ errorCode: 'ABORTED' });
    await within(silent.closed, 'the server saw the socket close');
  });

  it("jsforce's own calls on the connection are aborted as well (conn.query)", async () => {
    const silent = await serve();
    const controller = new AbortController();
    const conn = await connect({
      ...extra,
      instanceUrl: silent.url,
      accessToken: 'token-1',
      timeoutMs: 600_000,
      signal: controller.signal,
    });
    const queried = conn.query('SELECT Id FROM User').then(
      () => undefined,
      (error: unknown) => error,
    );
    await within(silent.requested, 'the query reached the server');
    controller.abort('stopped by the test');
    expect(await within(queried, 'the query rejected')).toMatchObject({
      errorCode: 'ABORTED',
      message: expect.stringMatching(/was aborted by its caller: stopped by the test$/),
    });
    await within(silent.closed, 'the server saw the socket close');
  });

  it('many requests in parallel on one signal: all aborted', async () => {
    const silent = await serve();
    const controller = new AbortController();
    const conn = await connect({
      ...extra,
      instanceUrl: silent.url,
      accessToken: 'token-1',
      timeoutMs: 600_000,
      signal: controller.signal,
    });
    const sent = Array.from({ length: 30 }, (_, i) =>
      sendRest(conn, { method: 'GET', url: `/services/data/v64.0/sobjects/S${i}/describe` }).catch(
        (error: unknown) => error,
      ),
    );
    await within(silent.requested, 'a request reached the server');
    controller.abort();
    const errors = await within(Promise.all(sent), 'every request rejected');
    expect(errors.map((error) => (error as SalesforceError).errorCode)).toEqual(
      Array(30).fill('ABORTED'),
    );
  });

  it('once aborted, a request is not sent (nor counted)', async () => {
    const silent = await serve();
    const controller = new AbortController();
    const conn = await connect({
      ...extra,
      instanceUrl: silent.url,
      accessToken: 'token-1',
      signal: controller.signal,
    });
    controller.abort();
    await expect(sendRest(conn, { method: 'GET', url: '/x' })).rejects.toMatchObject({
      errorCode: 'ABORTED',
    });
    expect(silent.hits).toBe(0);
    expect(requestCount(conn)).toBe(0);
  });

  it('the JWT token request is aborted too', async () => {
    const silent = await serve();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const controller = new AbortController();
    const connecting = connect({
      ...extra,
      kind: 'jwt',
      clientId: '3MVG9abort',
      username: 'admin@acme.example',
      loginUrl: silent.url,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      timeoutMs: 600_000,
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await within(silent.requested, 'the token request reached the server');
    controller.abort();
    expect(await within(connecting, 'connect rejected')).toMatchObject({ errorCode: 'ABORTED' });
    await within(silent.closed, 'the server saw the socket close');
  });
});

describe('listeners on the signal', () => {
  it('a long run of requests on one connection leaves none behind: each request removes its own, answered, failed or timed out', async () => {
    let n = 0;
    const silent = await serve((req, res) => {
      n += 1;
      // Every 50th request is never answered (the request times out), every 5th fails.
      if (n % 50 === 0) return;
      res.writeHead(n % 5 === 0 ? 500 : 200, { 'content-type': 'application/json' });
      res.end(n % 5 === 0 ? '[{"errorCode":"UNKNOWN_EXCEPTION","message":"boom"}]' : '{"ok":true}');
    });
    const controller = new AbortController();
    const conn = await connect({
      instanceUrl: silent.url,
      accessToken: 'token-1',
      timeoutMs: 200,
      signal: controller.signal,
    });
    const outcomes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      outcomes.add(
        await sendRest(conn, { method: 'GET', url: `/services/data/v64.0/r${i}` }).then(
          () => 'answered',
          (error: SalesforceError) => error.errorCode,
        ),
      );
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    }
    expect([...outcomes].sort()).toEqual(['REQUEST_TIMEOUT', 'UNKNOWN_EXCEPTION', 'answered']);
    // In parallel: one or two each while in flight, none once all have settled.
    const parallel = Array.from({ length: 40 }, (_, i) =>
      sendRest(conn, { method: 'GET', url: `/services/data/v64.0/p${i}` }).catch(() => undefined),
    );
    expect(getEventListeners(controller.signal, 'abort').length).toBeGreaterThan(0);
    await Promise.all(parallel);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  }, 60_000);
});

describe('an answer and the abort at the same moment', () => {
  /** A base transport whose answer the test gives, when it likes. */
  function fakeBase() {
    let answer!: (response: { statusCode: number; headers: Record<string, string> }) => void;
    let fail!: (error: unknown) => void;
    const base: JsforceTransport = {
      httpRequest() {
        const pending = new Promise<{ statusCode: number; headers: Record<string, string> }>(
          (resolve, reject) => {
            answer = resolve;
            fail = reject;
          },
        );
        return Object.assign(pending, { stream: () => new PassThrough() });
      },
    };
    return {
      base,
      answer: (status = 200) => answer({ statusCode: status, headers: {} }),
      fail: (error: unknown) => fail(error),
    };
  }

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => process.on('unhandledRejection', onUnhandled));
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    unhandled.splice(0);
  });

  /** Lets every pending promise job and the unhandled-rejection check run. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it.each([
    ['the answer first, the abort in the same tick', true],
    ['the abort first, the answer in the same tick', false],
  ])(
    '%s: settles once (ABORTED), no unhandled rejection, no listener left',
    async (_name, answerFirst) => {
      const { base, answer } = fakeBase();
      const controller = new AbortController();
      const guarded = guardTransport(
        base,
        () => 600_000,
        () => controller.signal,
      );
      const settled: string[] = [];
      const request = guarded.httpRequest({ url: 'https://acme.example/x', method: 'GET' });
      request.then(
        () => settled.push('answered'),
        (error: SalesforceError) => settled.push(error.errorCode),
      );
      if (answerFirst) {
        answer();
        controller.abort();
      } else {
        controller.abort();
        answer();
      }
      await settle();
      // The abort is seen before the answer's jobs run: the caller asked to stop.
      expect(settled).toEqual(['ABORTED']);
      expect(unhandled).toEqual([]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    },
  );

  it('a failure and the abort in the same tick: ABORTED once, the failure not left unhandled', async () => {
    const { base, fail } = fakeBase();
    const controller = new AbortController();
    const guarded = guardTransport(
      base,
      () => 600_000,
      () => controller.signal,
    );
    const settled: string[] = [];
    guarded.httpRequest({ url: 'https://acme.example/x', method: 'GET' }).then(
      () => settled.push('answered'),
      (error: SalesforceError) => settled.push(error.errorCode),
    );
    fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    controller.abort();
    await settle();
    expect(settled).toEqual(['ABORTED']);
    expect(unhandled).toEqual([]);
  });
});

describe('connect with a signal aborted already', () => {
  it('rejects with ABORTED and sends nothing', async () => {
    const silent = await serve();
    await expect(
      connect({
        instanceUrl: silent.url,
        accessToken: 'token-1',
        signal: AbortSignal.abort(new Error('Ctrl-C')),
      }),
    ).rejects.toMatchObject({
      errorCode: 'ABORTED',
      message: 'Connecting to Salesforce was aborted by its caller: Ctrl-C',
    });
    expect(silent.hits).toBe(0);
  });
});

describe('the Salesforce CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sync-doctor-abort-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Whether a process with this id exists at all (a zombie counts: nobody reaped it). */
  function exists(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  async function fileAppears(path: string): Promise<number> {
    while (!existsSync(path) || readFileSync(path, 'utf8').trim() === '')
      await new Promise((resolve) => setTimeout(resolve, 20));
    return Number(readFileSync(path, 'utf8').trim());
  }

  /** An `sf` that writes its pid (and that of a child it starts) and hangs, as at a prompt. */
  function hangingSf(name: string): { sf: string; pidFile: string; childPidFile: string } {
    const pidFile = join(dir, `${name}.pid`);
    const childPidFile = join(dir, `${name}.child.pid`);
    const sf = join(dir, name);
    writeFileSync(
      sf,
      `#!/bin/sh\nsleep 30 &\necho $! > '${childPidFile}'\necho $$ > '${pidFile}'\nwait\n`,
    );
    chmodSync(sf, 0o755);
    return { sf, pidFile, childPidFile };
  }

  it('sfOrgDisplay: an abort kills the sf process group and awaits its exit, then rejects with ABORTED', async () => {
    const { sf, pidFile, childPidFile } = hangingSf('sf-hanging');
    const controller = new AbortController();
    const displayed = sfOrgDisplay('acme', {
      binary: sf,
      timeoutMs: 600_000,
      signal: controller.signal,
    }).catch((error: unknown) => error);
    const pid = await within(fileAppears(pidFile), 'sf started');
    const childPid = await within(fileAppears(childPidFile), "sf's child started");
    expect(running(pid)).toBe(true);
    controller.abort(new Error('interrupted (SIGTERM)'));
    const error = await within(displayed, 'sfOrgDisplay rejected');
    expect(error).toMatchObject({
      errorCode: 'ABORTED',
      message:
        "The Salesforce CLI ('sf org display --target-org acme', stopped) was aborted by its caller: interrupted (SIGTERM)",
    });
    expect(isTransientSalesforceFailure(error)).toBe(false);
    // sf itself is reaped (no zombie left), and what it started went with its group.
    expect(exists(pid)).toBe(false);
    expect(running(childPid)).toBe(false);
  });

  it('sfOrgDisplay with a signal aborted already does not start sf', async () => {
    const { sf, pidFile } = hangingSf('sf-never');
    await expect(
      sfOrgDisplay('acme', { binary: sf, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ errorCode: 'ABORTED' });
    expect(existsSync(pidFile)).toBe(false);
  });

  it("connect kind 'sf-cli': the abort reaches the sf it runs", async () => {
    const { sf, pidFile } = hangingSf('sf-connect');
    const controller = new AbortController();
    const connecting = connect({
      kind: 'sf-cli',
      targetOrg: 'acme',
      sfBinary: sf,
      timeoutMs: 600_000,
      signal: controller.signal,
    }).catch((error: unknown) => error);
    const pid = await within(fileAppears(pidFile), 'sf started');
    controller.abort();
    expect(await within(connecting, 'connect rejected')).toMatchObject({ errorCode: 'ABORTED' });
    expect(exists(pid)).toBe(false);
  });
});
