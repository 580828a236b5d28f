import { rawMessageFromForm } from '../src/inputs/multipartEmail.js';
import { judgeSender } from '../src/inputs/senderPolicy.js';

// SendGrid Inbound Parse posts its form with one boundary for every post (xYzZY), and nothing in
// multipart/form-data escapes it: a message holding "--xYzZY" and a part of its own ends the
// `email` field there and adds fields SendGrid never wrote, a `dkim` saying pass among them. The
// first `dkim` counted, so a forged one ahead of SendGrid's won. A form naming a field twice (or
// holding both raw-message fields) cannot say which is the service's: the policy refuses it.

const policy = { authservIds: ['mx.google.com'], domains: ['hubspot.com'] };
const B = 'xYzZY';
const part = (name: string, value: string) =>
  `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const form = (...parts: string[]) => Buffer.from(parts.join('') + `--${B}--\r\n`);
const CT = `multipart/form-data; boundary=${B}`;
const message = [
  'DKIM-Signature: v=1; a=rsa-sha256; d=hubspot.com; s=s1; h=from; bh=AA; b=BB',
  'From: noreply@hubspot.com',
  'Subject: Your HubSpot-Salesforce integration has been suspended',
  '',
  'Salesforce org API limit exceeded.',
].join('\r\n');

async function verdictOf(body: Buffer) {
  const posted = await rawMessageFromForm(body, CT, 1_000_000);
  return judgeSender(posted.raw, policy, posted.serviceVerdict);
}

describe('SendGrid form fields named twice', () => {
  test("a dkim field smuggled inside the message, ahead of SendGrid's own, is refused", async () => {
    // The sender's message ends in a part of its own; SendGrid's real verdict follows.
    const smuggled = `${message}\r\n${part('dkim', '{@hubspot.com : pass}').trimEnd()}`;
    const verdict = await verdictOf(
      form(part('email', smuggled), part('dkim', '{@hubspot.com : fail}')),
    );
    expect(verdict.allowed).toBe(false);
  });

  test('two dkim fields, whichever order, are refused', async () => {
    for (const [a, b] of [
      ['{@hubspot.com : pass}', '{@hubspot.com : fail}'],
      ['{@hubspot.com : fail}', '{@hubspot.com : pass}'],
    ])
      expect(
        (await verdictOf(form(part('dkim', a!), part('email', message), part('dkim', b!)))).allowed,
      ).toBe(false);
  });

  test('both raw-message fields are refused', async () => {
    expect(
      (
        await verdictOf(
          form(
            part('email', message),
            part('body-mime', message),
            part('dkim', '{@hubspot.com : pass}'),
          ),
        )
      ).allowed,
    ).toBe(false);
  });

  test("SendGrid's ordinary form still passes", async () => {
    expect(
      await verdictOf(
        form(part('dkim', '{@hubspot.com : pass}'), part('email', message), part('SPF', 'pass')),
      ),
    ).toMatchObject({ allowed: true, domain: 'hubspot.com' });
  });
});
