/**
 * An abort through the proxy of HTTPS_PROXY / HTTP_PROXY: the request fails at once with ABORTED,
 * and its tunnel is closed at once too, a CONNECT not yet answered included, so the proxy sees the
 * connection end and no socket holds an in-process caller until the per-request timeout. Without a
 * lookup (the CLI's path) the proxy is asked for a tunnel to the host's name (it resolves it, as
 * for jsforce's own transport before); with one (the relay's), to the checked address.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { connect } from '../src/connect.js';
import { sendRest } from '../src/transport.js';
import { clearProxyVarsForEachTest } from './proxyVars.js';
import { within } from './bounds.js';

clearProxyVarsForEachTest();

interface Tunnel {
  /** What the CONNECT named. */
  target: string;
  /** Resolves when the client closed its side of the tunnel (what the proxy sees). */
  closed: Promise<void>;
}

interface Proxy {
  url: string;
  tunnels: Tunnel[];
  /** Resolves with the first tunnel once its CONNECT arrived. */
  connected: Promise<Tunnel>;
  close(): Promise<void>;
}

/** A CONNECT proxy; with `answer: false` it takes the CONNECT and never answers it. */
async function startProxy(answer = true): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const tunnels: Tunnel[] = [];
  let first!: (tunnel: Tunnel) => void;
  const connected = new Promise<Tunnel>((resolve) => (first = resolve));
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const tunnel: Tunnel = {
      target: req.url ?? '',
      // The server keeps its side half open: the client's end (FIN) or a reset is the close.
      closed: new Promise<void>((resolve) => {
        client.once('end', () => resolve());
        client.once('close', () => resolve());
      }),
    };
    tunnels.push(tunnel);
    first(tunnel);
    client.on('error', () => undefined);
    if (!answer) return;
    const at = req.url!.lastIndexOf(':');
    const upstream = netConnect(Number(req.url!.slice(at + 1)), req.url!.slice(0, at), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    connected,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An org that takes requests and never answers them. */
async function silentOrg(): Promise<{
  url: string;
  requested: Promise<void>;
  close(): Promise<void>;
}> {
  let requestedResolve!: () => void;
  const requested = new Promise<void>((resolve) => (requestedResolve = resolve));
  const server = createServer(() => requestedResolve());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // A name, not an address: without a lookup the proxy is asked for the name.
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function setUp(answer: boolean, lookup?: LookupFunction) {
  const proxy = await startProxy(answer);
  closers.push(proxy.close);
  const org = await silentOrg();
  closers.push(org.close);
  process.env.HTTPS_PROXY = proxy.url;
  process.env.HTTP_PROXY = proxy.url;
  const controller = new AbortController();
  // A per-request timeout far beyond the bound: only the abort can end the wait in time.
  const conn = await connect({
    instanceUrl: org.url,
    accessToken: 'token',
    timeoutMs: 120_000,
    signal: controller.signal,
    ...(lookup ? { lookup } : {}),
  });
  const pending = sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' });
  pending.catch(() => undefined);
  return { proxy, org, controller, pending };
}

// Without a lookup (the CLI) the proxy is asked for the name; with one (the relay), for the address.
const ways: [string, LookupFunction | undefined, (orgUrl: string) => string][] = [
  ['without a lookup', undefined, (orgUrl) => new URL(orgUrl).host],
  ['with a lookup', dnsLookup as LookupFunction, (orgUrl) => `127.0.0.1:${new URL(orgUrl).port}`],
];

describe.each(ways)('an abort through the proxy, %s', (_name, lookup, targetOf) => {
  it('a request waiting on the org: ABORTED at once, and the proxy sees its tunnel closed', async () => {
    const { proxy, org, controller, pending } = await setUp(true, lookup);
    await within(org.requested, 'the request reaching the org');
    const tunnel = await proxy.connected;
    expect(tunnel.target).toBe(targetOf(org.url));
    controller.abort(new Error('stopped by the test'));
    await expect(within(pending, 'the request failing')).rejects.toMatchObject({
      errorCode: 'ABORTED',
    });
    await within(tunnel.closed, 'the tunnel closing');
  }, 20_000);

  it('a CONNECT the proxy has not answered yet: ABORTED, and that tunnel is closed too', async () => {
    const { proxy, controller, pending } = await setUp(false, lookup);
    const tunnel = await within(proxy.connected, 'the CONNECT reaching the proxy');
    controller.abort(new Error('stopped by the test'));
    await expect(within(pending, 'the request failing')).rejects.toMatchObject({
      errorCode: 'ABORTED',
    });
    await within(tunnel.closed, 'the tunnel closing');
  }, 20_000);
});

describe('a CONNECT the proxy never answers, without an abort', () => {
  it.each(ways)(
    '%s: REQUEST_TIMEOUT at the timeout, and the tunnel being opened is closed then',
    async (_name, lookup) => {
      const proxy = await startProxy(false);
      closers.push(proxy.close);
      const org = await silentOrg();
      closers.push(org.close);
      process.env.HTTP_PROXY = proxy.url;
      const conn = await connect({
        instanceUrl: org.url,
        accessToken: 'token',
        timeoutMs: 500,
        ...(lookup ? { lookup } : {}),
      });
      await expect(
        sendRest(conn, { method: 'GET', url: '/services/data/v64.0/limits' }),
      ).rejects.toMatchObject({ errorCode: 'REQUEST_TIMEOUT' });
      const tunnel = await within(proxy.connected, 'the CONNECT reaching the proxy');
      await within(tunnel.closed, 'the tunnel closing');
    },
    20_000,
  );
});
