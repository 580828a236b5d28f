import { AlertConfigError, type AlertTarget } from './types.js';

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

function checkUrl(raw: string, what: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AlertConfigError(`${what} is not a URL`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return;
  throw new AlertConfigError(`${what} must use https (http only to a loopback host)`);
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** Checks a target before it is stored (the relay's admin API): a clear message for every mistake. */
export function validateAlertTarget(target: AlertTarget): void {
  if (!target || typeof target !== 'object') throw new AlertConfigError('alert target must be an object');
  if (typeof target.id !== 'string' || target.id.trim() === '') throw new AlertConfigError('alert target id is required');
  switch (target.kind) {
    case 'webhook':
      checkUrl(target.url, 'webhook url');
      if (typeof target.secret !== 'string' || target.secret.length < 16) throw new AlertConfigError('webhook secret must be at least 16 characters');
      return;
    case 'slack':
      checkUrl(target.webhookUrl, 'Slack webhook url');
      return;
    case 'email': {
      const mailbox = (s: string) => EMAIL.test(s.replace(/^.*<([^>]+)>\s*$/, '$1'));
      if (typeof target.from !== 'string' || !mailbox(target.from)) throw new AlertConfigError('email from must be an address');
      if (!Array.isArray(target.to) || target.to.length === 0 || !target.to.every((a) => typeof a === 'string' && mailbox(a))) {
        throw new AlertConfigError('email to must be a non-empty list of addresses');
      }
      const smtp = target.smtp;
      if (!smtp || typeof smtp.host !== 'string' || smtp.host === '') throw new AlertConfigError('email smtp.host is required');
      const tls = smtp.tls ?? 'starttls';
      if (!['implicit', 'starttls', 'none'].includes(tls)) throw new AlertConfigError('email smtp.tls must be implicit, starttls or none');
      if (tls === 'none' && !(smtp.allowPlainOnLoopback && LOOPBACK.test(smtp.host))) {
        throw new AlertConfigError('plain-text SMTP is only allowed to a loopback host with allowPlainOnLoopback: true');
      }
      return;
    }
    default:
      throw new AlertConfigError(`unknown alert target kind ${(target as { kind?: unknown }).kind}`);
  }
}
