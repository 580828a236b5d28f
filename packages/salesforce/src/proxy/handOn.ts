import type { Socket } from 'node:net';

/**
 * Gives the bytes that came after the proxy's answer (the target's first bytes, in the same chunk)
 * back to the socket for whoever reads it next. The socket is paused first: it was flowing for the
 * handshake, and a flowing socket without a 'data' listener passes what it holds to nobody on the
 * next tick, before TLS or the HTTP client took it over. TLS reads what is held (and the handle);
 * the HTTP client's socket is resumed once it listens (resumedWhenRead).
 */
export function handOn(socket: Socket, rest: Buffer): void {
  socket.pause();
  if (rest.length > 0) socket.unshift(rest);
}
