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
  const key =
    typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
  return `${header}.${claims}.${base64url(signature)}`;
}

/**
 * Why a private key cannot sign the JWT bearer assertion (RS256 needs an RSA private key), or null
 * when it can. Checked where a key is handed over, so a wrong one is refused at once rather than
 * at the first token request. The message never quotes the key.
 */
export function jwtPrivateKeyProblem(privateKey: string): string | null {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKey);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return `the private key cannot be read${code ? ` (${code})` : ''}: give the PEM text of an RSA private key, from "-----BEGIN PRIVATE KEY-----" (or "-----BEGIN RSA PRIVATE KEY-----") to its END line`;
  }
  if (key.asymmetricKeyType !== 'rsa')
    return `the private key is ${key.asymmetricKeyType ?? 'not an asymmetric'} key; Salesforce's JWT bearer flow signs with RS256, which needs an RSA key`;
  return null;
}

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
