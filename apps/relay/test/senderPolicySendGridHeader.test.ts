import { judgeSender } from '../src/inputs/senderPolicy.js';

// SendGrid's `dkim` form field is built from every DKIM-Signature SendGrid's verifier reads, and a
// signature's d= is the sender's text: one like `hubspot.com : pass, @x.evil.example` (a name in a
// zone the sender runs) makes SendGrid's field read as a pass for hubspot.com. judgeSendGrid
// refuses a message holding such a d=, which works only if the relay sees every signature
// SendGrid saw: a header it reads only part of, or splits into lines otherwise, must be refused.

const policy = { authservIds: ['mx.google.com'], domains: ['hubspot.com'] };
const sendgrid = (dkim: string) => ({ service: 'sendgrid' as const, dkim });
const sig = (d: string) => `DKIM-Signature: v=1; a=rsa-sha256; d=${d}; s=s1; h=from; bh=AA; b=BB`;
/** A forged d= that SendGrid's field reads as two entries, the first a pass for hubspot.com. */
const INJECTED = sig('hubspot.com : pass, @x.evil.example');
const FIELD = '{@hubspot.com : fail, @hubspot.com : pass, @x.evil.example : pass}';
const message = (...head: string[]) =>
  Buffer.from([...head, 'From: noreply@hubspot.com', 'Subject: hi', '', 'body', ''].join('\r\n'));

describe('judgeSendGrid: a d= the relay does not see', () => {
  test('the injected d= in plain view is refused (as before)', () => {
    const verdict = judgeSender(message(sig('hubspot.com'), INJECTED), policy, sendgrid(FIELD));
    expect(verdict.allowed).toBe(false);
  });

  test('behind more header fields than the relay reads, it is refused too', () => {
    const padding = Array.from({ length: 1_000 }, (_, i) => `X-Pad-${i}: ${i}`);
    const verdict = judgeSender(
      message(sig('hubspot.com'), ...padding, INJECTED),
      policy,
      sendgrid(FIELD),
    );
    expect(verdict).toMatchObject({ allowed: false, reason: 'NOT_AUTHENTICATED' });
  });

  test('behind a bare CR (a line break to other readers) it is refused too', () => {
    const verdict = judgeSender(
      message(sig('hubspot.com'), `X-Note: a\r${INJECTED}`),
      policy,
      sendgrid(FIELD),
    );
    expect(verdict).toMatchObject({ allowed: false, reason: 'NOT_AUTHENTICATED' });
  });

  test('in a DomainKey-Signature, whose results SendGrid reports too, it is refused', () => {
    const verdict = judgeSender(
      message(sig('hubspot.com'), INJECTED.replace('DKIM-Signature', 'DomainKey-Signature')),
      policy,
      sendgrid(FIELD),
    );
    expect(verdict).toMatchObject({ allowed: false, reason: 'NOT_AUTHENTICATED' });
  });

  test('a field with more entries than the message has signatures is refused', () => {
    // Whatever way SendGrid came to read a signature the relay does not see.
    const verdict = judgeSender(
      message(sig('hubspot.com')),
      policy,
      sendgrid('{@hubspot.com : fail, @hubspot.com : pass}'),
    );
    expect(verdict).toMatchObject({ allowed: false, reason: 'NOT_AUTHENTICATED' });
  });

  test('an ordinary signed notice still passes', () => {
    expect(
      judgeSender(message(sig('HubSpot.com.')), policy, sendgrid('{@hubspot.com : pass}')),
    ).toMatchObject({ allowed: true, domain: 'hubspot.com' });
    expect(
      judgeSender(
        message(sig('hubspot.com'), sig('sendgrid.net')),
        policy,
        sendgrid('{@hubspot.com : pass, @sendgrid.net : pass}'),
      ),
    ).toMatchObject({ allowed: true });
  });
});
