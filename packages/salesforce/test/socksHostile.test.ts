/**
 * A SOCKS5 or HTTP proxy that misbehaves: replies split across TCP chunks or followed at once by
 * the target's bytes, reply numbers RFC 1928 does not define, credentials the URL cannot carry, and
 * a proxy that echoes what it was sent. Each proxy here is a script on loopback.
 */
import {
  createConnection,
  createServer,
  type AddressInfo,
  type LookupFunction,
  type Server,
  type Socket,
} from 'node:net';
import type { Duplex } from 'node:stream';
import { connect } from '../src/connect.js';
import { InputError } from '../src/errors.js';
import { HttpTunnelAgent, TUNNEL_SIGNAL } from '../src/proxyTunnel.js';
import { isTransientSalesforceFailure } from '../src/transient.js';
import { sendRest } from '../src/transport.js';
import { failure } from './bounds.js';
import { clearProxyVarsForEachTest } from './proxyVars.js';

clearProxyVarsForEachTest();

const servers: Server[] = [];
const sockets = new Set<Socket>();

/** A proxy on 127.0.0.1 that runs `script` for each client, handing it the bytes read so far. */
async function scripted(
  script: (client: Socket, received: () => Buffer, next: () => Promise<void>) => Promise<void>,
): Promise<number> {
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let wake: (() => void) | undefined;
    client.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      wake?.();
    });
    const next = () => new Promise<void>((resolve) => (wake = resolve));
    void script(client, () => buffer, next).catch(() => client.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Waits until `count` bytes were received. */
async function bytes(received: () => Buffer, next: () => Promise<void>, count: number) {
  while (received().length < count) await next();
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OK = Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
const ANSWER =
  'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}';
/** The greeting (3 bytes, no credentials) and a request for 127.0.0.1 or a name. */
const requestLength = (received: Buffer) =>
  received[6] === 0x01 ? 3 + 10 : received[6] === 0x04 ? 3 + 22 : 3 + 7 + received[7]!;

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** A connection to an instance never reached but through the proxy the test set. */
const viaProxy = () =>
  connect({ instanceUrl: 'http://localhost:1', accessToken: 'token', timeoutMs: 3000 });

/** Through the proxy at `proxyUrl`, a REST call gets the target's answer whole. */
async function answersThrough(proxyUrl: string): Promise<void> {
  process.env.HTTP_PROXY = proxyUrl;
  const conn = await viaProxy();
  await expect(sendRest(conn, { method: 'GET', url: '/x' })).resolves.toEqual({ ok: true });
}

describe('a SOCKS5 proxy whose replies come in odd pieces', () => {
  it('the target answer in the same chunk as the success reply is handed on, not dropped', async () => {
    const port = await scripted(async (client, received, next) => {
      await bytes(received, next, 3);
      client.write(Buffer.from([0x05, 0x00]));
      await bytes(received, next, 4);
      await bytes(received, next, requestLength(received()));
      // The target's first bytes follow the reply at once, in the same write.
      client.write(Buffer.concat([OK, Buffer.from(ANSWER)]));
    });
    await answersThrough(`socks5h://127.0.0.1:${port}`);
  });

  it('every reply byte by byte, in chunks of its own', async () => {
    const port = await scripted(async (client, received, next) => {
      await bytes(received, next, 3);
      for (const byte of [0x05, 0x00]) {
        client.write(Buffer.from([byte]));
        await pause(15);
      }
      await bytes(received, next, 4);
      await bytes(received, next, requestLength(received()));
      for (const byte of OK) {
        client.write(Buffer.from([byte]));
        await pause(15);
      }
      await bytes(received, next, requestLength(received()) + 1);
      client.write(ANSWER);
    });
    await answersThrough(`socks5h://127.0.0.1:${port}`);
  });
});

describe('an HTTP proxy whose answer to CONNECT is followed at once by the target', () => {
  it('the target answer in the same chunk as the 200 is handed on, not dropped', async () => {
    const port = await scripted(async (client, received, next) => {
      while (!received().includes('\r\n\r\n')) await next();
      client.write(`HTTP/1.1 200 Connection established\r\n\r\n${ANSWER}`);
    });
    await answersThrough(`http://127.0.0.1:${port}`);
  });
});

describe('SOCKS5 replies and settings outside the RFCs', () => {
  it.each([9, 0x80, 0xff])(
    'reply %i, which RFC 1928 does not define, is not transient',
    async (reply) => {
      const port = await scripted(async (client, received, next) => {
        await bytes(received, next, 3);
        client.write(Buffer.from([0x05, 0x00]));
        await bytes(received, next, 4);
        await bytes(received, next, requestLength(received()));
        client.end(Buffer.from([0x05, reply, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
      });
      process.env.HTTP_PROXY = `socks5h://127.0.0.1:${port}`;
      const conn = await viaProxy();
      const error = await failure(sendRest(conn, { method: 'GET', url: '/x' }));
      expect(error).toMatchObject({ errorCode: 'PROXY_MISCONFIGURED' });
      expect(isTransientSalesforceFailure(error)).toBe(false);
    },
  );

  it.each(['socks5h', 'http', 'https'])(
    '%s: credentials that are no valid percent-encoding are an InputError at connect, not shown, and nothing is opened',
    async (scheme) => {
      let reached = 0;
      const port = await scripted(async (client) => {
        reached += 1;
        client.destroy();
      });
      process.env.HTTP_PROXY = `${scheme}://us%zzer:pa%ss-word-9@127.0.0.1:${port}`;
      const error = await failure(
        connect({ instanceUrl: 'http://localhost:1', accessToken: 'token', timeoutMs: 3000 }),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toMatch(/not valid percent-encoding/);
      expect(`${error?.message} ${error?.stack}`).not.toMatch(/us%zzer|pa%ss-word-9/);
      expect(reached).toBe(0);
    },
  );
});

describe('an HTTP proxy that echoes what it was sent', () => {
  it('the reason phrase of a refusal carries no credentials', async () => {
    const port = await scripted(async (client, received, next) => {
      while (!received().includes('\r\n\r\n')) await next();
      const auth = /Proxy-Authorization: Basic (\S+)/.exec(received().toString('latin1'))?.[1];
      client.end(`HTTP/1.1 407 denied ${auth} for s3cret:pass-word\r\n\r\n`);
    });
    process.env.HTTP_PROXY = `http://s3cret:pass-word@127.0.0.1:${port}`;
    const conn = await viaProxy();
    const error = await failure(sendRest(conn, { method: 'GET', url: '/x' }));
    const basic = Buffer.from('s3cret:pass-word').toString('base64');
    for (const text of [error?.message, error?.stack, JSON.stringify(error)]) {
      expect(text).not.toContain(basic);
      expect(text).not.toContain('pass-word');
    }
    expect(error).toMatchObject({ errorCode: 'PROXY_REFUSED', statusCode: 407 });
  });
});

describe('a lookup whose answer is no address', () => {
  it.each(['socks5h', 'socks5', 'http'])(
    '%s: refused as Node refuses it on a direct socket; the proxy is never given a name',
    async (scheme) => {
      let reached = 0;
      const port = await scripted(async (client) => {
        reached += 1;
        client.destroy();
      });
      process.env.HTTP_PROXY = `${scheme}://127.0.0.1:${port}`;
      // A rule that hands the name back (a bug, or a pass-through) instead of the address it checked.
      const lookup: LookupFunction = (hostname, options, callback) =>
        (options as { all?: boolean }).all
          ? callback(null, [{ address: hostname, family: 4 }])
          : callback(null, hostname, 4);
      const conn = await connect({
        instanceUrl: 'http://localhost:1',
        accessToken: 'token',
        timeoutMs: 3000,
        lookup,
      });
      const error = await failure(sendRest(conn, { method: 'GET', url: '/x' }));
      expect(error?.message).toMatch(/Invalid IP address: localhost/);
      expect(reached).toBe(0);
    },
  );
});

describe('an abort after the SOCKS connection is up, while TLS is being set up', () => {
  it('ABORTED at once, and both the proxy and the target see the connection closed', async () => {
    // The target takes the connection and never answers the TLS hello.
    let targetClosed!: () => void;
    const closedAtTarget = new Promise<void>((resolve) => (targetClosed = resolve));
    let helloSeen!: () => void;
    const hello = new Promise<void>((resolve) => (helloSeen = resolve));
    const target = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => helloSeen());
      socket.on('close', () => targetClosed());
    });
    servers.push(target);
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as AddressInfo).port;
    let proxyClosed!: () => void;
    const closedAtProxy = new Promise<void>((resolve) => (proxyClosed = resolve));
    const port = await scripted(async (client, received, next) => {
      client.on('close', () => proxyClosed());
      await bytes(received, next, 3);
      client.write(Buffer.from([0x05, 0x00]));
      await bytes(received, next, 4);
      const length = requestLength(received());
      await bytes(received, next, length);
      const upstream = createConnection(targetPort, '127.0.0.1', () => {
        client.write(OK);
        const rest = received().subarray(length);
        if (rest.length) upstream.write(rest);
        upstream.pipe(client).pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    process.env.HTTPS_PROXY = `socks5h://127.0.0.1:${port}`;
    const controller = new AbortController();
    const conn = await connect({
      instanceUrl: `https://localhost:${targetPort}`,
      accessToken: 'token',
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    const pending = failure(sendRest(conn, { method: 'GET', url: '/x' }));
    await hello;
    controller.abort(new Error('stopped by the test'));
    expect(await pending).toMatchObject({ errorCode: 'ABORTED' });
    await closedAtProxy;
    await closedAtTarget;
  }, 10_000);
});

describe('an abort that comes as the proxy answers, before the tunnel is handed over', () => {
  it.each(['socks5h', 'http'])(
    '%s: the tunnel is closed and the abort reported, not handed to a request that is gone',
    async (scheme) => {
      let proxyClosed!: () => void;
      const closedAtProxy = new Promise<void>((resolve) => (proxyClosed = resolve));
      const port = await scripted(async (client, received, next) => {
        client.on('close', () => proxyClosed());
        if (scheme === 'http') {
          while (!received().includes('\r\n\r\n')) await next();
          client.write('HTTP/1.1 200 Connection established\r\n\r\n');
          return;
        }
        await bytes(received, next, 3);
        client.write(Buffer.from([0x05, 0x00]));
        await bytes(received, next, 4);
        await bytes(received, next, requestLength(received()));
        client.write(OK);
      });
      // The abort lands in the gap between the handshake's end (its abort listener removed) and
      // the hand-over, as one from a tick queued meanwhile would.
      const controller = new AbortController();
      const signal = controller.signal;
      const remove = signal.removeEventListener.bind(signal);
      signal.removeEventListener = (...args: Parameters<AbortSignal['removeEventListener']>) => {
        remove(...args);
        if (!signal.aborted) controller.abort(new Error('stopped by the test'));
      };
      const agent = new HttpTunnelAgent(new URL(`${scheme}://127.0.0.1:${port}`), undefined, {});
      const outcome = await new Promise<{ error: Error | null; socket?: Duplex }>((resolve) =>
        agent.createConnection(
          { host: 'localhost', port: 80, [TUNNEL_SIGNAL]: signal },
          (error, socket) => resolve({ error, socket }),
        ),
      );
      outcome.socket?.destroy();
      expect(outcome.error?.message).toBe('stopped by the test');
      await closedAtProxy;
      agent.destroy();
    },
  );
});

describe('what RFC 1928 and RFC 1929 cannot carry', () => {
  it('a password over 255 bytes: PROXY_MISCONFIGURED, not transient, not shown, and the proxy never reached', async () => {
    let reached = 0;
    const port = await scripted(async (client) => {
      reached += 1;
      client.destroy();
    });
    const password = `p${'é'.repeat(128)}`; // 257 bytes in UTF-8
    process.env.HTTP_PROXY = `socks5h://user:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const conn = await connect({ instanceUrl: 'http://localhost:1', accessToken: 'token' });
    const error = await failure(sendRest(conn, { method: 'GET', url: '/x' }));
    expect(error).toMatchObject({ errorCode: 'PROXY_MISCONFIGURED' });
    expect(isTransientSalesforceFailure(error)).toBe(false);
    expect(`${error?.message} ${error?.stack}`).not.toContain(encodeURIComponent(password));
    expect(`${error?.message} ${error?.stack}`).not.toContain(password);
    expect(reached).toBe(0);
  });

  it('a name over 255 bytes for socks5h: PROXY_MISCONFIGURED, and the proxy never reached', async () => {
    let reached = 0;
    const port = await scripted(async (client) => {
      reached += 1;
      client.destroy();
    });
    process.env.HTTPS_PROXY = `socks5h://127.0.0.1:${port}`;
    const name = `${Array<string>(5).fill('a'.repeat(60)).join('.')}.example.com`;
    const conn = await connect({ instanceUrl: `https://${name}`, accessToken: 'token' });
    const error = await failure(sendRest(conn, { method: 'GET', url: '/x' }));
    expect(error).toMatchObject({ errorCode: 'PROXY_MISCONFIGURED' });
    expect(reached).toBe(0);
  });
});
