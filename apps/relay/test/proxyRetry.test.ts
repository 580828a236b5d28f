import { generateKeyPairSync } from 'node:crypto';
import { createServer, type LookupFunction, type Server, type Socket } from 'node:net';
import { connect, sendRest } from '@sync-doctor/salesforce';
import { describeFailure } from '../src/domain/retry.js';

// A delivery through the egress proxy (HTTPS_PROXY) that fails at the proxy: whether the outbox
// tries again depends on why. A proxy that is down, restarting or drops the connection, or that
// answers CONNECT with 502-504 (it could not reach Salesforce just then), passes; 407 or 403 is a
// setting an SRE must fix, and retrying it for hours only hides that. Before, every proxy failure
// but "ECONNREFUSED" in the message failed the delivery at once, a 503 included (its status was
// lost on the way), and a dropped CONNECT too.

type Answer = 'close' | string;

/** A proxy that answers every CONNECT with `answer` (a status line), or closes without a word. */
async function startProxy(
  answer: Answer,
): Promise<{ url: string; connects: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { connects: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      state.connects++;
      if (answer === 'close') socket.destroy();
      else socket.end(`HTTP/1.1 ${answer}\r\nContent-Length: 0\r\n\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get connects() {
      return state.connects;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A SOCKS5 proxy (RFC 1928, no authentication) that answers every CONNECT with `reply` (0 would be
 * success; here only failures) and records the address it was asked for.
 */
async function startSocksProxy(
  reply: number,
): Promise<{ url: string; asked: string[]; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const asked: string[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    let greeted = false;
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!greeted) {
        if (buffered.length < 2 || buffered.length < 2 + buffered[1]!) return;
        buffered = buffered.subarray(2 + buffered[1]!);
        greeted = true;
        socket.write(Buffer.from([5, 0]));
      }
      // VER CMD RSV ATYP=1 (IPv4) ADDR(4) PORT(2): the relay sends the checked address, never a name.
      if (buffered.length < 10) return;
      asked.push(
        `${buffered[3]}:${[...buffered.subarray(4, 8)].join('.')}:${buffered.readUInt16BE(8)}`,
      );
      socket.end(Buffer.from([5, reply, 0, 1, 0, 0, 0, 0, 0, 0]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `socks5h://127.0.0.1:${port}`,
    asked,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The relay's rule stands in: every name resolves to one public address (the proxy never dials it). */
const lookup: LookupFunction = (_hostname, options, callback) => {
  const address = { address: '198.51.100.7', family: 4 };
  setImmediate(() =>
    (options as { all?: boolean }).all
      ? callback(null, [address])
      : callback(null, address.address, address.family),
  );
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The two ways the relay reaches Salesforce: a REST call on a session, and the JWT token request. */
const attempts = {
  rest: async () => {
    const conn = await connect({
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '00D!session',
      lookup,
    });
    await sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
  },
  jwt: async () => {
    await connect({
      kind: 'jwt',
      clientId: '3MVG9retry',
      username: 'integration@acme.example',
      loginUrl: 'https://login.salesforce.com',
      privateKey: privatePem,
      lookup,
    });
  },
};

const failureThrough = async (attempt: () => Promise<void>) =>
  describeFailure(
    await attempt().then(
      () => null,
      (error: unknown) => error,
    ),
  );

const saved = {
  HTTPS_PROXY: process.env.HTTPS_PROXY,
  https_proxy: process.env.https_proxy,
  NO_PROXY: process.env.NO_PROXY,
  no_proxy: process.env.no_proxy,
};
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
beforeEach(() => {
  for (const name of Object.keys(saved)) delete process.env[name];
});

describe.each(Object.keys(attempts) as (keyof typeof attempts)[])(
  'a delivery failing at the egress proxy (%s)',
  (path) => {
    it.each([
      ['503 Service Unavailable', 503],
      ['502 Bad Gateway', 502],
      ['504 Gateway Timeout', 504],
    ])('CONNECT answered %s: retried, with the proxy status kept', async (status, code) => {
      const proxy = await startProxy(status);
      process.env.HTTPS_PROXY = proxy.url;
      try {
        const failure = await failureThrough(attempts[path]);
        expect(failure).toMatchObject({ code: 'PROXY_REFUSED', statusCode: code, retryable: true });
        expect(failure.message).toContain(`refused the tunnel to 198.51.100.7:443: HTTP ${code}`);
        expect(proxy.connects).toBe(1);
      } finally {
        await proxy.close();
      }
    });

    it.each([
      ['407 Proxy Authentication Required', 407],
      ['403 Forbidden', 403],
    ])('CONNECT answered %s: failed at once, a setting to fix', async (status, code) => {
      const proxy = await startProxy(status);
      process.env.HTTPS_PROXY = proxy.url;
      try {
        expect(await failureThrough(attempts[path])).toMatchObject({
          code: 'PROXY_REFUSED',
          statusCode: code,
          retryable: false,
        });
      } finally {
        await proxy.close();
      }
    });

    it('the proxy drops the connection before answering: retried', async () => {
      const proxy = await startProxy('close');
      process.env.HTTPS_PROXY = proxy.url;
      try {
        const failure = await failureThrough(attempts[path]);
        expect(failure).toMatchObject({ code: 'PROXY_UNREACHABLE', retryable: true });
        expect(failure.message).toContain('closed the connection before answering CONNECT');
      } finally {
        await proxy.close();
      }
    });

    it('a SOCKS5 proxy that cannot reach the host (reply 4): retried, asked for the checked address only', async () => {
      const proxy = await startSocksProxy(4);
      process.env.HTTPS_PROXY = proxy.url;
      try {
        const failure = await failureThrough(attempts[path]);
        expect(failure).toMatchObject({ code: 'PROXY_SOCKS_ERROR', retryable: true });
        // ATYP 1: an IPv4 address, the one the relay's rule checked, even for socks5h://.
        expect(proxy.asked).toEqual(['1:198.51.100.7:443']);
      } finally {
        await proxy.close();
      }
    });

    it('a SOCKS5 proxy whose rules refuse the connection (reply 2): failed at once, a setting to fix', async () => {
      const proxy = await startSocksProxy(2);
      process.env.HTTPS_PROXY = proxy.url;
      try {
        expect(await failureThrough(attempts[path])).toMatchObject({
          code: 'PROXY_REFUSED',
          retryable: false,
        });
      } finally {
        await proxy.close();
      }
    });

    it('nothing listens at the proxy address: retried', async () => {
      const proxy = await startProxy('close');
      await proxy.close();
      process.env.HTTPS_PROXY = proxy.url;
      expect(await failureThrough(attempts[path])).toMatchObject({
        code: 'PROXY_UNREACHABLE',
        retryable: true,
      });
    });
  },
);
