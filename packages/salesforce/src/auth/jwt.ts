import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';

/**
 * The assertion of the OAuth 2.0 JWT bearer flow, signed RS256 with node:crypto. jsforce 3 sends
 * the token request (`OAuth2.requestToken({ grant_type, assertion })`) but does not build the JWT.
 * Claims per Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration":
 * iss = the connected app's consumer key, sub = the username, aud = the authorization server
 * (https://login.salesforce.com or https://test.salesforce.com, whatever My Domain the request goes
 * to: see jwtAudience), exp = at most 3 minutes ahead.
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

/**
 * The `aud` claim for a token request sent to `loginUrl`. Salesforce accepts the authorization
 * server's URL (https://login.salesforce.com, https://test.salesforce.com, or an Experience Cloud
 * site's URL), not a My Domain: an assertion naming https://acme--uat.sandbox.my.salesforce.com is
 * refused with invalid_grant "audience is invalid" even when posted there. So, as the Salesforce
 * CLI does: test.salesforce.com for a sandbox's host (enhanced `*.sandbox.my.salesforce.com`,
 * `name--sandbox.my.salesforce.com`, `csNN` instances), login.salesforce.com for any other
 * Salesforce host, and the URL itself for anything else (a site, a test server).
 */
export function jwtAudience(loginUrl: string): string {
  let host: string;
  try {
    host = new URL(loginUrl).hostname.toLowerCase();
  } catch {
    return loginUrl;
  }
  if (
    host === 'test.salesforce.com' ||
    host.endsWith('.sandbox.my.salesforce.com') ||
    /^[a-z0-9-]+--[a-z0-9]+\.my\.salesforce\.com$/.test(host) ||
    /(^|\.)cs\d+(\.my)?\.salesforce\.com$/.test(host)
  )
    return 'https://test.salesforce.com';
  if (host === 'salesforce.com' || host.endsWith('.salesforce.com'))
    return 'https://login.salesforce.com';
  return loginUrl.replace(/\/+$/, '');
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
