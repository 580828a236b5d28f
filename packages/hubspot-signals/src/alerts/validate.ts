import { assertAllowedHost, DestinationRefusedError, type OutboundPolicy } from './destination.js';
import { AlertConfigError, type AlertTarget } from './types.js';

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

function checkHost(host: string, what: string, policy: OutboundPolicy): void {
  try {
    assertAllowedHost(host, policy);
  } catch (error) {
    if (error instanceof DestinationRefusedError)
      throw new AlertConfigError(`${what}: ${error.message}`);
    throw error;
  }
}

function checkUrl(raw: string, what: string, policy: OutboundPolicy): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AlertConfigError(`${what} is not a URL`);
  }
  if (url.username || url.password)
    throw new AlertConfigError(`${what} must not carry a user name or password`);
  const plainAllowed = policy.allowPrivateNetworks === true && LOOPBACK.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainAllowed)) {
    throw new AlertConfigError(
      `${what} must use https (http only to a loopback host, when private targets are allowed)`,
    );
  }
  checkHost(url.hostname, what, policy);
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/**
 * Checks a target before it is stored (the relay's admin API) and before every send: a clear
 * message for every mistake. Only https to public hosts unless `policy.allowPrivateNetworks`
 * (destination.ts); names are checked again, resolved, when the sender connects.
 */
export function validateAlertTarget(target: AlertTarget, policy: OutboundPolicy = {}): void {
  if (!target || typeof target !== 'object')
    throw new AlertConfigError('alert target must be an object');
  if (typeof target.id !== 'string' || target.id.trim() === '')
    throw new AlertConfigError('alert target id is required');
  switch (target.kind) {
    case 'webhook':
      checkUrl(target.url, 'webhook url', policy);
      if (typeof target.secret !== 'string' || target.secret.length < 16)
        throw new AlertConfigError('webhook secret must be at least 16 characters');
      return;
    case 'slack':
      checkUrl(target.webhookUrl, 'Slack webhook url', policy);
      return;
    case 'email': {
      const mailbox = (s: string) => EMAIL.test(s.replace(/^.*<([^>]+)>\s*$/, '$1'));
      if (typeof target.from !== 'string' || !mailbox(target.from))
        throw new AlertConfigError('email from must be an address');
      if (
        !Array.isArray(target.to) ||
        target.to.length === 0 ||
        !target.to.every((a) => typeof a === 'string' && mailbox(a))
      ) {
        throw new AlertConfigError('email to must be a non-empty list of addresses');
      }
      const smtp = target.smtp;
      if (!smtp || typeof smtp.host !== 'string' || smtp.host === '')
        throw new AlertConfigError('email smtp.host is required');
      const tls = smtp.tls ?? 'starttls';
      if (!['implicit', 'starttls', 'none'].includes(tls))
        throw new AlertConfigError('email smtp.tls must be implicit, starttls or none');
      if (
        tls === 'none' &&
        !(smtp.allowPlainOnLoopback && LOOPBACK.test(smtp.host) && policy.allowPrivateNetworks)
      ) {
        throw new AlertConfigError(
          'plain-text SMTP is only allowed to a loopback host with allowPlainOnLoopback: true, when private targets are allowed',
        );
      }
      checkHost(smtp.host, 'email smtp.host', policy);
      return;
    }
    default:
      throw new AlertConfigError(
        `unknown alert target kind ${(target as { kind?: unknown }).kind}`,
      );
  }
}
