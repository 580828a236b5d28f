import { createHmac, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { userHasPermission } from './access.js';
import type { SimState } from './state.js';
import type { SimResponse } from './types.js';

/**
 * POST /services/oauth2/token: the JWT bearer flow and the refresh token flow. Errors are OAuth
 * error documents with HTTP 400, as Salesforce answers them.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 * https://datatracker.ietf.org/doc/html/rfc7523
 */
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

const oauthError = (error: string, description: string): SimResponse => ({
  status: 400,
  body: { error, error_description: description },
});

export function tokenEndpoint(state: SimState, form: Record<string, string>): SimResponse {
  switch (form.grant_type) {
    case JWT_BEARER:
      return jwtBearer(state, form);
    case 'refresh_token':
      return refresh(state, form);
    case undefined:
    case '':
      return oauthError('unsupported_grant_type', 'grant type not supported');
    default:
      return oauthError('unsupported_grant_type', 'grant type not supported');
  }
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | null {
  if (!segment) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function publicKey(key: KeyObject | string): KeyObject {
  return typeof key === 'string' ? createPublicKey(key) : key;
}

function jwtBearer(state: SimState, form: Record<string, string>): SimResponse {
  const assertion = form.assertion;
  if (!assertion) return oauthError('invalid_request', 'assertion is missing');
  const parts = assertion.split('.');
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (parts.length !== 3 || !header || !claims || header.alg !== 'RS256')
    return oauthError('invalid_grant', 'invalid assertion');
  if (state.options.jwtPublicKey) {
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2]!, 'base64url');
    if (!verify('RSA-SHA256', signed, publicKey(state.options.jwtPublicKey), signature)) {
      return oauthError('invalid_grant', 'invalid assertion');
    }
  }
  if (state.options.clientId && claims.iss !== state.options.clientId)
    return oauthError('invalid_client_id', 'client identifier invalid');
  if (typeof claims.iss !== 'string' || !claims.iss)
    return oauthError('invalid_client_id', 'client identifier invalid');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const allowed = [...AUDIENCES, state.url];
  if (
    !audiences.some((aud) => typeof aud === 'string' && allowed.includes(aud.replace(/\/$/, '')))
  ) {
    return oauthError('invalid_grant', 'audience is invalid');
  }
  // "exp: ... the expiration time of the assertion within 3 minutes" (Salesforce Help, "OAuth 2.0
  // JWT Bearer Flow for Server-to-Server Integration"): one that has passed, or that lies more than
  // 3 minutes ahead (a lifetime too long, a client clock running fast), is refused. Salesforce's
  // words for the second are not documented; the simulator answers as for the first.
  if (
    typeof claims.exp !== 'number' ||
    claims.exp * 1000 <= Date.now() ||
    claims.exp * 1000 > Date.now() + 180_000
  )
    return oauthError('invalid_grant', 'expired authorization code');
  const username = typeof claims.sub === 'string' ? claims.sub.toLowerCase() : '';
  const user = state.org.table('User').find((u) => String(u.Username).toLowerCase() === username);
  if (!user) return oauthError('invalid_grant', "user hasn't approved this consumer");
  if (user.IsActive !== true) return oauthError('invalid_grant', 'inactive user');
  return issue(state, user.Id, false);
}

function refresh(state: SimState, form: Record<string, string>): SimResponse {
  const userId = form.refresh_token ? state.refreshTokens.get(form.refresh_token) : undefined;
  if (!userId) return oauthError('invalid_grant', 'expired access/refresh token');
  if (state.options.clientId && form.client_id !== state.options.clientId)
    return oauthError('invalid_client_id', 'client identifier invalid');
  const user = state.org.getById(userId)?.record;
  if (!user || user.IsActive !== true) return oauthError('invalid_grant', 'inactive user');
  return issue(state, user.Id, false);
}

function issue(state: SimState, userId: string, withRefresh: boolean): SimResponse {
  const accessToken = state.newSession(userId);
  const issuedAt = String(Date.now());
  const id = `${state.url}/id/${state.org.organizationId}/${userId}`;
  // Salesforce signs id + issued_at with the consumer secret (HMAC-SHA256, base64).
  const signature = createHmac('sha256', 'org-simulator-consumer-secret')
    .update(id + issuedAt)
    .digest('base64');
  const body: Record<string, string> = {
    access_token: accessToken,
    scope: 'api',
    instance_url: state.instanceUrl ?? state.url,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature,
  };
  if (withRefresh) body.refresh_token = state.newRefreshToken(userId);
  return { status: 200, body };
}

/** GET /id/:orgId/:userId and /services/oauth2/userinfo: the identity of the session's user. */
export function identity(state: SimState, userId: string): SimResponse {
  const user = state.org.getById(userId)?.record;
  if (!user) return { status: 404, body: { error: 'not_found' } };
  const orgId = state.org.organizationId;
  return {
    status: 200,
    body: {
      id: `${state.url}/id/${orgId}/${user.Id}`,
      user_id: user.Id,
      organization_id: orgId,
      username: user.Username,
      display_name: user.Name,
      email: user.Email,
      active: user.IsActive,
      user_type: 'STANDARD',
      urls: {
        rest: `${state.url}/services/data/v{version}/`,
        sobjects: `${state.url}/services/data/v{version}/sobjects/`,
        query: `${state.url}/services/data/v{version}/query/`,
        limits: `${state.url}/services/data/v{version}/limits`,
      },
    },
  };
}

/** Whether the user holds API Enabled through any of its (unexpired) permission set assignments. */
export function userHasApiAccess(state: SimState, userId: string): boolean {
  // An edition without the column has no such switch: API access is on.
  if (!state.org.schema.field('PermissionSet', 'PermissionsApiEnabled')) return true;
  return userHasPermission(state.org, userId, 'PermissionsApiEnabled');
}
