import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import type { PortalRecord } from '../store/types.js';

/**
 * A portal's opt-in sender policy for notification e-mails. Without one (null, the default) every
 * message the inbound token or mailbox brings is read, as before. With one, a message counts only
 * when the portal's own inbound mail service vouches for its sender: the topmost
 * Authentication-Results header field (RFC 8601) written under one of `authservIds` says
 * `dkim=pass` for a signing domain (`header.d`, else the domain of `header.i`) in `domains`, or
 * `dmarc=pass` for a From domain (`header.from`) in `domains`; a domain's subdomains count as it.
 * Behind a service that posts its verdict beside the message instead (SendGrid's `dkim` field) that
 * verdict counts and the message's Authentication-Results do not; behind one that posts none
 * naming the signing domain (Mailgun, Postmark) every message is refused (see ServiceVerdict).
 * No DNS is looked up: the service did that.
 */
export interface SenderPolicy {
  /** The authserv-ids the portal's inbound mail service writes (mx.google.com, amazonses.com...), lower case. */
  authservIds: string[];
  /** Sender domains allowed, lower case, no trailing dot (hubspot.com: notifications.hubspot.com too). */
  domains: string[];
}

/** One resinfo of an Authentication-Results field: `dkim=pass header.d=hubspot.com`. */
export interface AuthResult {
  /** Lower case, without a method version (`dkim/1` is `dkim`). */
  method: string;
  /** Lower case. */
  result: string;
  /** `ptype.property` (lower case) to its value, comments and quotes removed; the first of each counts. */
  props: Record<string, string>;
}

interface AuthenticationResults {
  /** Lower case. */
  authservId: string;
  results: AuthResult[];
}

/** Longer than any real field (Gmail's, Microsoft's: under 2 KB); the rest of a longer one is not read. */
const MAX_FIELD_CHARS = 16_384;
/** Resinfos read from one field: a real one carries a handful. */
const MAX_RESULTS = 64;
/** Header fields looked at: the service's own come first, long before this. */
const MAX_FIELDS = 1_000;
/** Bytes of the message looked at for its header block. */
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * The text of an Authentication-Results value with its comments blanked out and its quoted
 * strings kept whole (RFC 5322 CFWS: comments nest, `\` escapes one character in both; a comment
 * or quoted string left open runs to the end). Each quoted string is replaced by a placeholder
 * (\u0000 and its index), so a `;` or `=` inside one does not split the value.
 */
function stripComments(value: string): { text: string; quoted: string[] } {
  let text = '';
  const quoted: string[] = [];
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      if (depth === 0) text += ' ';
      continue;
    }
    if (c === '(') {
      depth = 1;
      continue;
    }
    if (c === '"') {
      let s = '';
      for (i++; i < value.length && value[i] !== '"'; i++) {
        if (value[i] === '\\' && i + 1 < value.length) i++;
        s += value[i]!;
      }
      text += `\u0000${quoted.length}\u0000`;
      quoted.push(s);
      continue;
    }
    text += c;
  }
  return { text, quoted };
}

const KEYWORD = /^[a-z0-9_-]+$/i;

/**
 * Reads one Authentication-Results field value (RFC 8601 §2.2): the authserv-id, an optional
 * version, then `;`-separated resinfos (`method[/version] = result [reason=...] ptype.property=value...`).
 * Comments, quoted strings, folding and any case are read; a resinfo that does not parse is
 * skipped, not guessed at. Null when the field names no authserv-id. Linear in the field's length.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  // NUL stands for a quoted string below: one in the field itself is dropped.
  const unfolded = value
    .slice(0, MAX_FIELD_CHARS)
    .replace(/\r?\n(?=[ \t])/g, '')
    .replace(/\u0000/g, '');
  const { text, quoted } = stripComments(unfolded);
  const unquote = (token: string) =>
    token.replace(/\u0000(\d+)\u0000/g, (_, n: string) => quoted[Number(n)] ?? '');
  const [head = '', ...resinfos] = text.split(';');
  const authservId = unquote(head.trim().split(/[ \t]+/)[0] ?? '')
    .trim()
    .toLowerCase();
  if (!authservId) return null;
  const results: AuthResult[] = [];
  for (const resinfo of resinfos.slice(0, MAX_RESULTS)) {
    // `method [/ version] = result`, spaces allowed around "/" and "=".
    const spec =
      /^[ \t]*([a-z0-9_-]+)(?:[ \t]*\/[ \t]*\d+)?[ \t]*=[ \t]*([a-z0-9_-]+)(?=[ \t]|$)/i.exec(
        resinfo,
      );
    if (!spec) continue; // `none`, garbage: no result
    const props: Record<string, string> = {};
    // `reason = value` and `ptype . property = value`, in any order, spaces around "." and "=".
    const rest = resinfo.slice(spec[0].length);
    const prop = /[ \t]*([a-z0-9_-]+)(?:[ \t]*\.[ \t]*([a-z0-9_.-]+))?[ \t]*=[ \t]*([^ \t]*)/giy;
    let match: RegExpExecArray | null;
    while ((match = prop.exec(rest)) !== null && match[0] !== '') {
      const key = match[2] ? `${match[1]}.${match[2]}`.toLowerCase() : match[1]!.toLowerCase();
      if (!(key in props)) props[key] = unquote(match[3]!);
    }
    const method = spec[1]!.toLowerCase();
    const result = spec[2]!.toLowerCase();
    if (KEYWORD.test(method)) results.push({ method, result, props });
  }
  return { authservId, results };
}

interface HeaderField {
  /** Lower case. */
  name: string;
  /** Unfolded. */
  value: string;
}

/**
 * The header fields of a raw message, top first, unfolded; an mbox `From ` envelope line before
 * them is skipped. Read from the bytes, not from a parser that may reorder or merge fields: the
 * order is what tells the inbound service's fields from the sender's.
 */
export function headerFields(raw: Buffer): HeaderField[] {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end === -1 ? head : head.slice(0, end)).replace(/^From [^\r\n]*\r?\n/, '');
  const fields: HeaderField[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) {
      fields[fields.length - 1]!.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!/^[!-9;-~]+$/.test(name)) continue;
    if (fields.length === MAX_FIELDS) break;
    fields.push({ name: name.toLowerCase(), value: line.slice(colon + 1) });
  }
  return fields;
}

/**
 * A domain name as a DKIM verifier looks one up: ASCII letters, digits, "-" and "_" in dot-separated
 * labels (an IDN in its xn-- form). Anything else is compared with nothing: toLowerCase would
 * turn some non-ASCII letters into ASCII ones (the Kelvin sign into "k"), and a d= a verifier
 * looked up holds none.
 */
const DOMAIN_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/** `domain` is one of `allowed`, or a subdomain of one (label boundary: evilhubspot.com is not hubspot.com). */
export function domainAllowed(domain: string, allowed: readonly string[]): boolean {
  // Checked before lower-casing, which is what would turn the Kelvin sign into "k".
  if (!/^[\x20-\x7e]*$/.test(domain)) return false;
  const d = normaliseDomain(domain);
  if (!d || !DOMAIN_NAME.test(d)) return false;
  return allowed.some((a) => d === a || d.endsWith(`.${a}`));
}

/** Lower case, without a trailing dot or surrounding spaces; what follows the last "@" of an address. */
function normaliseDomain(value: string): string {
  const at = value.lastIndexOf('@');
  return (at === -1 ? value : value.slice(at + 1)).trim().replace(/\.$/, '').toLowerCase();
}

type SenderVerdict =
  | { allowed: true; by: 'dkim' | 'dmarc'; domain: string }
  | {
      allowed: false;
      /**
       * NO_TRUSTED_RESULTS: no verdict of the service (no field of its own, no `dkim` form field);
       * NOT_AUTHENTICATED: its verdict vouches for no allowed domain; UNCHECKABLE: the message came
       * through a service that gives no verdict naming the signing domain, so none can be read.
       */
      reason: 'NO_TRUSTED_RESULTS' | 'NOT_AUTHENTICATED' | 'UNCHECKABLE';
      /** What the service said, for the answer and the log: methods, results and domains only. */
      detail: string;
    };

/**
 * The inbound mail service that posted a message to the e-mail route, and its verdict when it
 * posts one beside the message instead of writing it into it. The message a service posts is the
 * one the sender wrote plus whatever the service adds; a service that adds no
 * Authentication-Results field leaves only the sender's, so on its path those are never read:
 *
 * - `sendgrid`: Inbound Parse ("POST the raw, full MIME message") writes no Authentication-Results
 *   into the message; its DKIM verdict is the form's `dkim` field, `{@hubspot.com : pass}`, one
 *   `@domain : result` per signature, comma-separated (null: the form had no such field). Its
 *   `SPF` field (pass, softfail...) names no domain and is not read.
 * - `mailgun` (a route's forward to a URL ending in "mime", the raw message in `body-mime`) and
 *   `postmark` (inbound JSON with `RawEmail`): neither documents a verdict naming the signing
 *   domain (Mailgun: X-Mailgun-Dkim-Check-Result / X-Mailgun-Spf say only Pass or Fail; Postmark:
 *   SpamAssassin's X-Spam-* and a Received-SPF for the envelope sender), nor that it writes an
 *   Authentication-Results field of its own into the message: the policy cannot be checked there.
 *
 * No service (message/rfc822 posted as it is, a mailbox reader): the message's own
 * Authentication-Results are read, as the service that wrote them is the portal's `authservIds`.
 */
export type ServiceVerdict =
  | {
      service: 'sendgrid';
      dkim: string | null;
      /**
       * Form fields the policy reads (`dkim`, `email`, `body-mime`) that came more than once, or both
       * raw-message fields: SendGrid posts every form with one boundary (xYzZY) and multipart
       * escapes nothing, so a message holding it can end its `email` field and add fields of its
       * own; which of two is SendGrid's cannot be told, and such a form is refused.
       */
      repeated?: string[];
    }
  | { service: 'mailgun' }
  | { service: 'postmark' };

const SERVICE_NAMES: Record<ServiceVerdict['service'], string> = {
  sendgrid: 'SendGrid Inbound Parse',
  mailgun: 'Mailgun',
  postmark: 'Postmark',
};

/** A raw message a form or JSON reader took out of a service's post, with that service's verdict. */
export interface PostedMessage {
  raw: Buffer;
  serviceVerdict: ServiceVerdict;
}

/** Longer than any real `dkim` field (one entry a signature); the rest of a longer one is not read. */
const MAX_DKIM_FIELD_CHARS = 4_096;

/**
 * SendGrid's `dkim` form field: `{@hubspot.com : pass}`, or several comma-separated entries
 * (`{@a.example : pass, @b.example : fail}`); braces and the "@" optional, any case. An entry that
 * does not read as `domain : result` is skipped.
 */
export function parseSendGridDkim(value: string): { domain: string; result: string }[] {
  const inner = value.slice(0, MAX_DKIM_FIELD_CHARS).trim().replace(/^\{/, '').replace(/\}$/, '');
  const entries: { domain: string; result: string }[] = [];
  for (const entry of inner.split(',').slice(0, MAX_RESULTS)) {
    const match = /^\s*@?([^\s:@,{}]+)\s*:\s*([a-z]+)\s*$/i.exec(entry);
    if (match) entries.push({ domain: match[1]!, result: match[2]!.toLowerCase() });
  }
  return entries;
}

/**
 * The `d=` of each signature field of a raw message's header that SendGrid's `dkim` field reports
 * on ("DKIM and domain keys signatures": DKIM-Signature and DomainKey-Signature), trimmed, lower
 * case; null when the relay cannot be sure it sees every field SendGrid's verifier saw: a header
 * longer than headerFields reads (MAX_FIELDS fields, MAX_HEADER_BYTES), or one holding a bare CR,
 * which other readers take for a line break, so a signature after it is a field there and part of
 * another field's value here.
 */
function signingDomains(raw: Buffer): string[] | null {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  if (end === -1 && raw.length > MAX_HEADER_BYTES) return null;
  if (/\r(?!\n)/.test(end === -1 ? head : head.slice(0, end))) return null;
  const fields = headerFields(raw);
  if (fields.length >= MAX_FIELDS) return null;
  return fields
    .filter((field) => field.name === 'dkim-signature' || field.name === 'domainkey-signature')
    .map((field) => /(?:^|;)\s*d\s*=([^;]*)/i.exec(field.value)?.[1]?.trim().toLowerCase() ?? '');
}

/**
 * Judges SendGrid's `dkim` field: a pass for an allowed domain (or a subdomain of one) passes, when
 * the message holds a DKIM-Signature with that very `d=`. The field is text SendGrid builds from
 * each signature's `d=`, which the sender writes: one `d=` that is no domain name (a ",", ":" or
 * space in it: `d=hubspot.com : pass, @x.evil.example`, under a zone the sender runs) could make
 * its entry read as two, so a message with one is refused rather than read.
 */
function judgeSendGrid(
  raw: Buffer,
  dkim: string | null,
  policy: SenderPolicy,
  repeated: readonly string[] = [],
): SenderVerdict {
  if (repeated.length > 0)
    return {
      allowed: false,
      reason: 'NOT_AUTHENTICATED',
      detail: `the form from SendGrid Inbound Parse holds ${repeated.map((f) => `"${f}"`).join(', ')} more than once (or both raw-message fields), so which is SendGrid's cannot be told`,
    };
  if (dkim === null || dkim.trim() === '')
    return {
      allowed: false,
      reason: 'NO_TRUSTED_RESULTS',
      detail: 'SendGrid Inbound Parse posted no dkim verdict (the form has no "dkim" field)',
    };
  const signed = signingDomains(raw);
  if (signed === null)
    return {
      allowed: false,
      reason: 'NOT_AUTHENTICATED',
      detail:
        "the message's header is too long for the relay to read whole, or holds a bare CR, so the DKIM-Signatures SendGrid Inbound Parse's dkim field reports on cannot all be seen",
    };
  if (signed.some((d) => !DOMAIN_NAME.test(d.replace(/\.$/, ''))))
    return {
      allowed: false,
      reason: 'NOT_AUTHENTICATED',
      detail:
        "a DKIM-Signature's d= is no domain name, so SendGrid Inbound Parse's dkim field cannot be read unambiguously",
    };
  const entries = parseSendGridDkim(dkim);
  // One entry a signature: more entries than signatures means SendGrid read one the relay did
  // not (or a d= that split in two), and the field cannot be trusted to say which passed.
  if (entries.length > signed.length)
    return {
      allowed: false,
      reason: 'NOT_AUTHENTICATED',
      detail: `SendGrid Inbound Parse's dkim field reports ${entries.length} signatures where the message holds ${signed.length}, so it cannot be read unambiguously`,
    };
  for (const { domain, result } of entries)
    if (
      result === 'pass' &&
      domainAllowed(domain, policy.domains) &&
      signed.some((d) => normaliseDomain(d) === normaliseDomain(domain))
    )
      return { allowed: true, by: 'dkim', domain: normaliseDomain(domain) };
  const said = entries
    .slice(0, 5)
    .map(({ domain, result }) => `dkim=${result} ${normaliseDomain(domain).slice(0, 100)}`);
  return {
    allowed: false,
    reason: 'NOT_AUTHENTICATED',
    detail: `SendGrid Inbound Parse reports ${said.length > 0 ? said.join(', ') : 'no dkim result'}; allowed: ${policy.domains.join(', ')}`,
  };
}

/**
 * Judges a raw message by a sender policy. Behind a service that posts its verdict beside the
 * message (`serviceVerdict`, see ServiceVerdict) that verdict alone counts. Otherwise only the
 * topmost Authentication-Results field whose authserv-id is the portal's service counts: the
 * service adds its field on top of the message (RFC 8601 §1.2), and a field further down with the
 * same id was either removed by the service (§5: it MUST delete the ones claiming its id) or, by a
 * service that does not, left as the sender wrote it. A second field of the service right below its first cannot be told from a sender's
 * forgery placed at the top of its own header, so it is not read either.
 */
export function judgeSender(
  raw: Buffer,
  policy: SenderPolicy,
  serviceVerdict?: ServiceVerdict,
): SenderVerdict {
  // A service that posts its verdict beside the message, or none: the message's own
  // Authentication-Results were not written by it, whatever authserv-id they name.
  if (serviceVerdict?.service === 'sendgrid')
    return judgeSendGrid(raw, serviceVerdict.dkim, policy, serviceVerdict.repeated);
  if (serviceVerdict)
    return {
      allowed: false,
      reason: 'UNCHECKABLE',
      detail: `the sender policy cannot be checked behind ${SERVICE_NAMES[serviceVerdict.service]}: it posts no DKIM verdict naming the signing domain, and the Authentication-Results in the message it posts may be the sender's own; receive the notices through SendGrid Inbound Parse or a mailbox reader instead, or turn the policy off`,
    };
  let trusted: AuthenticationResults | null = null;
  for (const field of headerFields(raw)) {
    if (field.name !== 'authentication-results') continue;
    const parsed = parseAuthenticationResults(field.value);
    if (parsed && policy.authservIds.includes(parsed.authservId)) {
      trusted = parsed;
      break;
    }
  }
  if (!trusted)
    return {
      allowed: false,
      reason: 'NO_TRUSTED_RESULTS',
      detail: `no Authentication-Results header from ${policy.authservIds.join(' or ')}`,
    };
  for (const { method, result, props } of trusted.results) {
    if (result !== 'pass') continue;
    if (method === 'dkim') {
      const domain = props['header.d'] ?? props['header.i'];
      // header.d is a domain (RFC 8601 §2.7.1, the signature's d=), never an address: one holding
      // an "@" is not read as the domain after it, as header.i's is.
      if (props['header.d'] !== undefined && props['header.d'].includes('@')) continue;
      if (domain !== undefined && domainAllowed(domain, policy.domains))
        return { allowed: true, by: 'dkim', domain: normaliseDomain(domain) };
    } else if (method === 'dmarc') {
      const domain = props['header.from'];
      if (domain !== undefined && domainAllowed(domain, policy.domains))
        return { allowed: true, by: 'dmarc', domain: normaliseDomain(domain) };
    }
  }
  const said = trusted.results
    .filter((r) => r.method === 'dkim' || r.method === 'dmarc')
    .slice(0, 5)
    .map((r) => {
      const domain = r.props['header.d'] ?? r.props['header.i'] ?? r.props['header.from'];
      return `${r.method}=${r.result}${domain ? ` ${normaliseDomain(domain).slice(0, 100)}` : ''}`;
    });
  return {
    allowed: false,
    reason: 'NOT_AUTHENTICATED',
    detail: `${trusted.authservId} reports ${said.length > 0 ? said.join(', ') : 'no dkim or dmarc result'}; allowed: ${policy.domains.join(', ')}`,
  };
}

/**
 * The one sender check of every e-mail path (POST /v1/inbound/email in each of its forms, the
 * portal and shared mailbox readers: all call ingestInboundEmail, which calls this before
 * anything is stored). Does nothing when the portal has no policy. A refusal is counted
 * (relay_inbound_email_refused_total), logged with the portal and why (never the message), and
 * thrown as a 403 SENDER_NOT_AUTHENTICATED: a 4xx, so a mailbox reader marks the message rejected
 * and reads it no more, and the e-mail route answers each service the code it does not retry.
 */
export function enforceSenderPolicy(
  app: FastifyInstance,
  raw: Buffer,
  portal: PortalRecord,
  { serviceVerdict }: { serviceVerdict?: ServiceVerdict } = {},
): void {
  const policy = portal.senderPolicy;
  if (!policy) return;
  const verdict = judgeSender(raw, policy, serviceVerdict);
  if (verdict.allowed) return;
  app.metrics.inboundEmailRefused.inc({ reason: verdict.reason });
  app.log.warn(
    { portalId: portal.id, reason: verdict.reason, detail: verdict.detail },
    "inbound e-mail refused: its sender is not vouched for by the portal's inbound mail service",
  );
  throw new HttpError(
    403,
    'SENDER_NOT_AUTHENTICATED',
    serviceVerdict
      ? `portal ${portal.id} accepts notification e-mails only from ${policy.domains.join(', ')}: ${verdict.detail}`
      : `portal ${portal.id} accepts notification e-mails only from ${policy.domains.join(', ')} as authenticated by ${policy.authservIds.join(' or ')}: ${verdict.detail}`,
  );
}
