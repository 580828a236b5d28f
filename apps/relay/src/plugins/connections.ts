import type { Socket } from 'node:net';
import fp from 'fastify-plugin';

/**
 * Closing the relay must not wait on clients that opened a connection and never sent a request.
 * Fastify's forceCloseConnections: 'idle' calls Node's closeIdleConnections, which closes
 * keep-alive connections between requests but skips one that never carried a request: the
 * server then waits until that client hangs up (undici's spare connection after an aborted
 * stream, a load balancer's warm pool), which can hold a shutdown for the whole grace period.
 * Such sockets (nothing read yet) are closed when the app starts closing; one that has sent
 * even part of a request is left to the usual in-flight handling.
 */
export default fp(
  async (app) => {
    const sockets = new Set<Socket>();
    app.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    app.addHook('preClose', async () => {
      for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
    });
  },
  { name: 'relay-connections' },
);
