import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';

/**
 * The assertion of the OAuth 2.0 JWT bearer flow, signed RS256 with node:crypto. jsforce 3 sends
 * the token request (`OAuth2.requestToken({ grant_type, assertion })`) but does not build the JWT.
 * Claims per Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration":
 * iss = the connected app's consumer key, sub = the username, aud = the login URL
 * (https://login.salesforce.com, https://test.salesforce.com or the My Domain / community URL),
 * exp = at most 3 minutes ahead.
 */
export interface JwtClaimsInput {
  clientId: string;
  username: string;
  audience: string;
  privateKey: string | KeyObject;
  /** Seconds since the epoch; defaults to now. */
  issuedAt?: number;
  lifetimeSeconds?: number;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwtAssertion(input: JwtClaimsInput): string {
  const issuedAt = input.issuedAt ?? Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({
      iss: input.clientId,
      sub: input.username,
      aud: input.audience.replace(/\/+$/, ''),
      exp: issuedAt + (input.lifetimeSeconds ?? 180),
      iat: issuedAt,
    }),
  );
  const key = typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
  return `${header}.${claims}.${base64url(signature)}`;
}

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
