/*
 * The proxy setting from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), checked when a
 * connection is made: a setting Sync Doctor cannot use is an InputError that names it, before any
 * socket is opened.
 */
import { isIP } from 'node:net';
import { InputError } from '../errors.js';
import { proxyLabel } from './proxyError.js';

/** The proxy URL for a request URL from the environment, or null (none set, or NO_PROXY matches). */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | null {
  const raw =
    url.protocol === 'https:'
      ? (env.https_proxy ?? env.HTTPS_PROXY)
      : (env.http_proxy ?? env.HTTP_PROXY);
  if (!raw) return null;
  if (bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return null;
  let proxy: URL;
  try {
    proxy = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new InputError(
      `The ${url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} setting is not a URL`,
    );
  }
  if (SOCKS4.has(proxy.protocol))
    throw new InputError(
      `The proxy ${proxyLabel(proxy)} is a SOCKS4 proxy, which Sync Doctor does not speak: write its URL with socks5h:// (the proxy resolves the name) or socks5:// if it speaks SOCKS5, or name an http:// proxy`,
    );
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:' && !isSocks(proxy))
    throw new InputError(
      `The proxy ${proxyLabel(proxy)} must be an http, https, socks5 or socks5h URL`,
    );
  // Decoded where they are sent: a stray '%' would throw there, after the socket was opened.
  if (credentialsOf(proxy) === undefined)
    throw new InputError(
      `The user name or password in the proxy ${proxyLabel(proxy)} is not valid percent-encoding: write a % in them as %25`,
    );
  return proxy;
}

/** The proxy URL's user name and password, percent-decoded; undefined when they do not decode. */
export function credentialsOf(proxy: URL): { user: string; password: string } | undefined {
  try {
    return {
      user: decodeURIComponent(proxy.username),
      password: decodeURIComponent(proxy.password),
    };
  } catch {
    return undefined;
  }
}

/** socks:// is SOCKS4 for curl and SOCKS5 for others: refused with SOCKS4, naming the SOCKS5 URLs. */
const SOCKS4 = new Set(['socks4:', 'socks4a:', 'socks:']);

/** A SOCKS5 proxy: socks5h:// lets the proxy resolve the name, socks5:// resolves it here. */
export const isSocks = (proxy: URL): boolean =>
  proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:';

/** NO_PROXY: comma-separated host names, domain suffixes (".example.com" or "example.com") or addresses, optionally with :port; "*" for all. */
function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy
    .split(/[\s,]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)) {
    if (entry === '*') return true;
    const match = /^(?:\[([^\]]+)\]|([^:]+|[^\]]*:[^\]]*:[^\]]*))(?::(\d+))?$/.exec(entry);
    const name = canonical((match?.[1] ?? match?.[2] ?? entry).replace(/^\*?\./, ''));
    const entryPort = isIP(entry) === 6 ? undefined : match?.[3];
    if (entryPort && entryPort !== port) continue;
    if (host === name) return true;
    // Suffixes are for names only: an address entry "0.0.1" must not take in host 10.0.0.1.
    if (isIP(host) === 0 && isIP(name) === 0 && host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** An IPv6 literal as the URL parser writes it (`0:0:0:0:0:0:0:1` is `::1`), so it compares with url.hostname. */
function canonical(name: string): string {
  if (isIP(name) !== 6) return name;
  try {
    return new URL(`http://[${name}]`).hostname.slice(1, -1);
  } catch {
    return name; // a zone id (fe80::1%eth0), which no URL carries: matches nothing
  }
}
