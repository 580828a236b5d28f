import busboy from 'busboy';
import { HttpError, badRequest } from '../errors.js';

/**
 * The form fields in which inbound-mail services post the raw message when they send
 * multipart/form-data instead of message/rfc822: SendGrid Inbound Parse with "POST the raw, full
 * MIME message" sends it as `email`; Mailgun routes that forward to a URL ending in "mime" send it
 * as `body-mime`.
 */
export const RAW_MESSAGE_FIELDS = ['email', 'body-mime'] as const;

/**
 * The raw message out of a buffered multipart/form-data body. Other fields (SendGrid's `from`,
 * `subject`, `envelope`...) are ignored: the relay reads everything from the message itself, as
 * it does for message/rfc822. Rejects with a 4xx for a body that is not a form, a message larger
 * than `maxBytes`, or a form without either field.
 */
export function rawMessageFromForm(
  body: Buffer,
  contentType: string,
  maxBytes: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fieldSize: maxBytes, fields: 50, files: 10 },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(badRequest('INVALID_MULTIPART', 'the multipart/form-data body has no boundary'));
      return;
    }
    let raw: Buffer | null = null;
    let tooLarge = false;
    parser.on('field', (name, value, info) => {
      if (!(RAW_MESSAGE_FIELDS as readonly string[]).includes(name) || raw) return;
      if (info.valueTruncated) tooLarge = true;
      else raw = Buffer.from(value, 'utf8');
    });
    // Some services attach the message as a file part instead of a field: take it the same way.
    parser.on('file', (name, stream) => {
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
        if (!tooLarge) raw = Buffer.concat(chunks);
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
      else resolve(raw);
    });
    parser.end(body);
  });
}
