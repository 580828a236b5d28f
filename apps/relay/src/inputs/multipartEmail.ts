import busboy from 'busboy';
import { HttpError, badRequest } from '../errors.js';
import type { PostedMessage } from './senderPolicy.js';

/**
 * The form fields in which inbound-mail services post the raw message when they send
 * multipart/form-data instead of message/rfc822: SendGrid Inbound Parse with "POST the raw, full
 * MIME message" sends it as `email`; Mailgun routes that forward to a URL ending in "mime" send it
 * as `body-mime`.
 */
const RAW_MESSAGE_FIELDS = ['email', 'body-mime'] as const;

/**
 * The bytes a form field carried. A raw message is bytes, not text in the form's charset: mail in
 * Windows-1252 or ISO-8859-1 sent 8-bit (Outlook does, for Western-European text) reaches the
 * services as those bytes and is posted so (SendGrid says which in its `charsets` field, but the
 * part names none); read as UTF-8 each æ, ø and å became U+FFFD, and a Danish notice lost the words
 * its reason is read from. Busboy reads a field that names no charset as Latin-1 here, which gives
 * back its bytes exactly; one that names its charset (a multipart part's Content-Type, the
 * URL-encoded body's) was decoded in it, and is encoded back as UTF-8, as before.
 */
function fieldBytes(value: string, body: Buffer, contentType: string): Buffer {
  // A character above U+00FF did not come from Latin-1.
  const latin1 = /[^\u0000-\u00ff]/.test(value) ? null : Buffer.from(value, 'latin1');
  if (latin1 === null) return Buffer.from(value, 'utf8');
  if (/^multipart\//i.test(contentType))
    // A part's bytes stand in the body as they are: whichever reading gives them back is the one.
    return body.includes(latin1) ? latin1 : Buffer.from(value, 'utf8');
  return /;\s*charset\s*=/i.test(contentType) ? Buffer.from(value, 'utf8') : latin1;
}

/**
 * The raw message out of a buffered multipart/form-data body. Other fields (SendGrid's `from`,
 * `subject`, `envelope`...) are ignored: the relay reads everything from the message itself, as
 * it does for message/rfc822; only SendGrid's `dkim` is kept, answered beside the message for the
 * portal's sender policy with which service posted it (told by the field the message came in).
 * Rejects with a 4xx for a body that is not a form, a message larger than `maxBytes`, or a form
 * without either field.
 */
export function rawMessageFromForm(
  body: Buffer,
  contentType: string,
  maxBytes: number,
): Promise<PostedMessage> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fieldSize: maxBytes, fields: 50, files: 10 },
        defParamCharset: 'utf8',
        // A field that names no charset is read byte for byte (see fieldBytes).
        defCharset: 'latin1',
      });
    } catch {
      reject(badRequest('INVALID_MULTIPART', 'the multipart/form-data body has no boundary'));
      return;
    }
    let raw: Buffer | null = null;
    /** The field the message came in: which service posted it. */
    let rawField: string | null = null;
    /** SendGrid's DKIM verdict (see ServiceVerdict); a second field of the name is refused there. */
    let dkim: string | null = null;
    /** How often each field the policy reads came, as a field or a file part (see ServiceVerdict). */
    const seen = new Map<string, number>();
    const count = (name: string) => {
      if (name === 'dkim' || (RAW_MESSAGE_FIELDS as readonly string[]).includes(name))
        seen.set(name, (seen.get(name) ?? 0) + 1);
    };
    let tooLarge = false;
    parser.on('field', (name, value, info) => {
      count(name);
      if (name === 'dkim' && dkim === null) dkim = value;
      if (!(RAW_MESSAGE_FIELDS as readonly string[]).includes(name) || raw) return;
      if (info.valueTruncated) tooLarge = true;
      else {
        raw = fieldBytes(value, body, contentType);
        rawField = name;
      }
    });
    // Some services attach the message as a file part instead of a field: take it the same way.
    parser.on('file', (name, stream) => {
      count(name);
      if (!(RAW_MESSAGE_FIELDS as readonly string[]).includes(name) || raw) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
        else tooLarge = true;
      });
      stream.on('end', () => {
        if (!tooLarge) {
          raw = Buffer.concat(chunks);
          rawField = name;
        }
      });
    });
    parser.on('error', () =>
      reject(badRequest('INVALID_MULTIPART', 'the multipart/form-data body is malformed')),
    );
    parser.on('close', () => {
      if (tooLarge)
        reject(
          new HttpError(413, 'BODY_TOO_LARGE', `the message is larger than ${maxBytes} bytes`),
        );
      else if (!raw)
        reject(
          badRequest(
            'RAW_MESSAGE_MISSING',
            `the form has no raw message: send it in the ${RAW_MESSAGE_FIELDS.map((f) => `"${f}"`).join(' or ')} field (SendGrid Inbound Parse: "POST the raw, full MIME message"; Mailgun: forward to a URL ending in "mime")`,
          ),
        );
      else
        // SendGrid posts the message as `email` and its DKIM verdict beside it; Mailgun as
        // `body-mime`, with no verdict naming a domain (see ServiceVerdict).
        resolve({
          raw,
          serviceVerdict:
            rawField === 'email'
              ? {
                  service: 'sendgrid',
                  dkim,
                  repeated: [
                    ...[...seen].filter(([, n]) => n > 1).map(([name]) => name),
                    ...(seen.has('email') && seen.has('body-mime') ? ['email', 'body-mime'] : []),
                  ],
                }
              : { service: 'mailgun' },
        });
    });
    parser.end(body);
  });
}
