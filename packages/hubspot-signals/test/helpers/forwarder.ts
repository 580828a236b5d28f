import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

/**
 * A TCP forwarder on 127.0.0.1 in front of a server (the test's Dovecot): counts the connections
 * that reach it and, with `tls`, ends TLS itself (recording the SNI name each client sent) and
 * forwards plain text. "Nothing reached the server" is then `connections === 0`.
 */
export interface Forwarder {
  port: number;
  connections: number;
  /** The SNI name of each TLS connection (false: none sent). */
  servernames: (string | false | null)[];
  close(): Promise<void>;
}

export async function startForwarder(
  targetPort: number,
  tls?: { key: string; cert: string },
): Promise<Forwarder> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, servernames: [] as (string | false | null)[] };
  const pipe = (client: Socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  const server: Server = tls
    ? createTlsServer({ key: tls.key, cert: tls.cert }, (socket: TLSSocket) => {
        state.servernames.push(socket.servername);
        pipe(socket);
      })
    : createServer(pipe);
  // Counted at the TCP connection, before any TLS handshake.
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get connections() {
      return state.connections;
    },
    servernames: state.servernames,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
