import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';
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
  /** Token requests received (their form fields, the client_secret and assertion left out). */
  readonly tokenRequests: Record<string, string>[];
  /**
   * A Google service account the token endpoint knows (as Google's does): a jwt-bearer request is
   * answered with a token only when its assertion is signed with this account's key (RS256,
   * checked with the public key) and names it (iss), the mailbox user (sub), `scope`, the token
   * URL (aud), and lasts an hour at most; otherwise 400 invalid_grant, as Google answers.
   */
  readonly serviceAccount: { clientEmail: string; privateKey: string; publicKey: string };
  /** The scope a service account's assertion must ask for (default https://mail.google.com/). */
  serviceAccountScope: string;
  /** The claims of every assertion whose signature verified, oldest first. */
  readonly assertions: Record<string, unknown>[];
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
        delete fields.assertion;
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
        if (state.mode === 'echo' && body.get('grant_type') === 'client_credentials')
          return json(response, 401, {
            error: 'invalid_client',
            error_description: `client secret ${body.get('client_secret')} is wrong`,
          });
        if (body.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
          if (state.mode === 'echo')
            return json(response, 400, {
              error: 'invalid_grant',
              error_description: `assertion ${body.get('assertion')} is not accepted`,
            });
          const why = assertionProblem(body.get('assertion') ?? '');
          if (why) return json(response, 400, { error: 'invalid_grant', error_description: why });
          if (state.mode === 'refuse')
            return json(response, 401, {
              error: 'unauthorized_client',
              error_description:
                'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
            });
          const token = issue();
          return json(response, 200, {
            token_type: 'Bearer',
            access_token: token,
            ...(state.expiresIn === null ? {} : { expires_in: state.expiresIn }),
          });
        }
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
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  /** Why an assertion is refused (Google's words where known), or null when it is good. */
  const assertionProblem = (assertion: string): string | null => {
    const parts = assertion.split('.');
    if (parts.length !== 3)
      return 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.';
    const [header, claims, signature] = parts as [string, string, string];
    const decode = (part: string) => {
      try {
        return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >;
      } catch {
        return null;
      }
    };
    if (decode(header)?.alg !== 'RS256') return 'Invalid JWT: the algorithm must be RS256.';
    const good = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${claims}`),
      state.serviceAccount.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!good) return 'Invalid JWT Signature.';
    const c = decode(claims);
    if (!c) return 'Invalid JWT: the claim set is not JSON.';
    state.assertions.push(c);
    const now = Math.floor(Date.now() / 1000);
    if (c.iss !== state.serviceAccount.clientEmail)
      return 'Invalid issuer: the service account is unknown.';
    if (c.aud !== state.tokenUrl) return 'Invalid JWT: the audience is not this token URL.';
    if (c.scope !== state.serviceAccountScope) return 'Invalid scope for this service account.';
    if (c.sub !== state.user) return 'Invalid email or User ID';
    if (
      typeof c.iat !== 'number' ||
      typeof c.exp !== 'number' ||
      c.iat > now + 60 ||
      c.exp <= now ||
      c.exp - c.iat > 3600
    )
      return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
    return null;
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
    serviceAccount: {
      clientEmail: `relay-reader@project-${randomBytes(3).toString('hex')}.iam.gserviceaccount.com`,
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
    },
    serviceAccountScope: 'https://mail.google.com/',
    assertions: [],
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
