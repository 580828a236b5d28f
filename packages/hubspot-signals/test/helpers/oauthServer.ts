import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A fake OAuth 2.0 authorization server on 127.0.0.1 for the mailbox tests: a token endpoint for
 * the client-credentials grant (as Microsoft's /oauth2/v2.0/token answers it: JSON with
 * access_token, token_type, expires_in; 400/401 with error and error_description when refused)
 * and an introspection endpoint (RFC 7662: POST token=..., { active, username }) for Dovecot's
 * oauth2 passdb. Tokens it issued are active for their lifetime, for `user` only.
 */
export interface FakeAuthServer {
  origin: string;
  tokenUrl: string;
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
  /** The mailbox user the issued tokens are good for. */
  user: string;
  /** expires_in of the next tokens (seconds); null: the answer has no expires_in. */
  expiresIn: number | null;
  /**
   * How the token endpoint answers next: 'ok'; 'refuse' (400 invalid_grant); '500'; 'hang' (never
   * answers); 'garbage' (200 that is not JSON); 'echo' (401 whose description repeats the secret);
   * 'inactive' (issues tokens the introspection never calls active, as for an app without the
   * mailbox right).
   */
  mode: 'ok' | 'refuse' | '500' | 'hang' | 'garbage' | 'echo' | 'inactive';
  /** Token requests received (their form fields, the client_secret left out). */
  readonly tokenRequests: Record<string, string>[];
  /** Tokens issued, oldest first. */
  readonly issued: string[];
  /** Introspections that answered active: true. */
  readonly accepted: string[];
  /** Makes every issued token inactive (as a revoked or expired one). */
  revokeAll(): void;
  /** A token for `user`, issued directly (for the test's own IMAP client). */
  issue(): string;
  stop(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** With `tls`, the endpoints are https (a client must trust the certificate). */
export async function startAuthServer(
  user: string,
  tls?: { key: string; cert: string },
): Promise<FakeAuthServer> {
  const live = new Map<string, number>(); // token -> expiry (ms)
  const hanging = new Set<ServerResponse>();
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  const issue = () => {
    const token = `at-${randomBytes(16).toString('hex')}`;
    if (state.mode !== 'inactive')
      live.set(
        token,
        state.expiresIn === null ? Number.POSITIVE_INFINITY : Date.now() + state.expiresIn * 1000,
      );
    state.issued.push(token);
    return token;
  };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const body = new URLSearchParams(await readBody(request));
      if (request.method === 'POST' && request.url === '/tenant/oauth2/v2.0/token') {
        const fields = Object.fromEntries(body);
        delete fields.client_secret;
        state.tokenRequests.push(fields);
        if (state.mode === 'hang') {
          hanging.add(response);
          return;
        }
        if (state.mode === '500') return json(response, 500, { error: 'server_error' });
        if (state.mode === 'garbage') {
          response.writeHead(200, { 'content-type': 'text/html' });
          return response.end('<html>sign in</html>');
        }
        if (state.mode === 'echo')
          return json(response, 401, {
            error: 'invalid_client',
            error_description: `client secret ${body.get('client_secret')} is wrong`,
          });
        if (
          body.get('grant_type') !== 'client_credentials' ||
          body.get('client_id') !== state.clientId ||
          body.get('client_secret') !== state.clientSecret
        )
          return json(response, 401, {
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret provided.',
          });
        if (state.mode === 'refuse')
          return json(response, 400, {
            error: 'invalid_grant',
            error_description: 'AADSTS700016: Application not found in the directory.',
          });
        const token = issue();
        return json(response, 200, {
          token_type: 'Bearer',
          access_token: token,
          ...(state.expiresIn === null ? {} : { expires_in: state.expiresIn }),
        });
      }
      if (request.method === 'POST' && request.url === '/introspect') {
        const token = body.get('token') ?? '';
        const expiry = live.get(token);
        if (expiry !== undefined && expiry > Date.now()) {
          state.accepted.push(token);
          return json(response, 200, { active: true, username: state.user });
        }
        return json(response, 200, { active: false });
      }
      json(response, 404, { error: 'not_found' });
    })().catch(() => response.destroy());
  };
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: FakeAuthServer = {
    origin,
    tokenUrl: `${origin}/tenant/oauth2/v2.0/token`,
    introspectionUrl: `${origin}/introspect`,
    clientId: `client-${randomBytes(4).toString('hex')}`,
    clientSecret: `cs-${randomBytes(18).toString('hex')}`,
    user,
    expiresIn: 3600,
    mode: 'ok',
    tokenRequests: [],
    issued: [],
    accepted: [],
    revokeAll: () => live.clear(),
    issue,
    stop: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}
