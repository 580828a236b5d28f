import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Puts `server` on a free port of `host` and gives its URL: the e2e suites stand up servers that
 * misbehave (never answer, stall, drop, redirect) where Salesforce would answer.
 */
export async function listen(server: Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((r) => server.listen(0, host, r));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** Closes `server`, ending the connections the CLI left hanging on it. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

/** `sync-doctor check` with a made-up token and user, against the server at `url`. */
export const checkAt = (url: string): string[] => [
  'check',
  '--instance-url',
  url,
  '--access-token',
  't',
  '--user',
  'u@acme.example',
];
