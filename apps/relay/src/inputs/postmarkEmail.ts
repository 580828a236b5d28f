import { badRequest } from '../errors.js';
import { assertJsonShape } from './jsonShape.js';
import type { PostedMessage } from './senderPolicy.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The raw message out of Postmark's inbound webhook, which posts JSON (`From`, `Subject`,
 * `TextBody`, `Headers`, `Attachments`...) and, when the inbound stream's "Include raw email
 * content in JSON payload" is ticked, the message as received in `RawEmail`. The relay reads only
 * that, as it reads only the raw message of SendGrid's and Mailgun's forms. Rejects with a 400 for
 * a body that is not JSON or has no `RawEmail`.
 */
export function rawMessageFromPostmark(body: Buffer): PostedMessage {
  // Up to 3 x RELAY_EMAIL_LIMIT + 64 KB (15.8 MB by default: the raw message, its parsed text and its
  // attachments in base64): refused before JSON.parse when its shape would hold the loop for seconds.
  assertJsonShape(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch {
    throw badRequest('MALFORMED_JSON', 'the request body is not valid JSON');
  }
  const raw =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as { RawEmail?: unknown }).RawEmail
      : undefined;
  if (typeof raw !== 'string' || raw === '')
    throw badRequest(
      'RAW_MESSAGE_MISSING',
      'the JSON has no raw message ("RawEmail"): in Postmark, tick "Include raw email content in JSON payload" in the inbound stream\'s settings',
    );
  // JSON carries text: the message's bytes as UTF-8 (its parts' own charsets and encodings are
  // read by the parser as they are).
  // Recorded as Postmark's, for the portal's sender policy (see ServiceVerdict).
  return { raw: Buffer.from(raw, 'utf8'), serviceVerdict: { service: 'postmark' } };
}
