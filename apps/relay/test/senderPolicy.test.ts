import {
  domainAllowed,
  headerFields,
  judgeSender,
  parseAuthenticationResults,
  type AuthResult,
} from '../src/inputs/senderPolicy.js';

// The Authentication-Results reader (RFC 8601 §2.2) and the judgement a portal's sender policy
// makes with it. The header comes from the sender's side as much as the service's: every odd form
// below either reads as the RFC says or yields no result, never a pass it does not state.

describe('parseAuthenticationResults', () => {
  test.each<[string, string, string | null, AuthResult[] | null]>([
    [
      "Gmail's, folded, header.i only, a comment holding '=' and ';'",
      ' mx.google.com;\r\n       dkim=pass header.i=@hubspot.com header.s=hs1 header.b="AbC/+9=";\r\n       spf=pass (google.com: domain of bounce@hubspot.com designates 1.2.3.4 as permitted sender; x=y) smtp.mailfrom=bounce@hubspot.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=hubspot.com',
      'mx.google.com',
      [
        {
          method: 'dkim',
          result: 'pass',
          props: { 'header.i': '@hubspot.com', 'header.s': 'hs1', 'header.b': 'AbC/+9=' },
        },
        { method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'bounce@hubspot.com' } },
        { method: 'dmarc', result: 'pass', props: { 'header.from': 'hubspot.com' } },
      ],
    ],
    [
      'upper case everywhere, a version after the authserv-id and on the method, spaces around = and .',
      ' MX.Example.COM 1 ; DKIM/1 = PASS Header . D = HubSpot.COM ; DMARC = Pass Header.From = HUBSPOT.com',
      'mx.example.com',
      [
        { method: 'dkim', result: 'pass', props: { 'header.d': 'HubSpot.COM' } },
        { method: 'dmarc', result: 'pass', props: { 'header.from': 'HUBSPOT.com' } },
      ],
    ],
    [
      'a quoted authserv-id and quoted values holding ";" and spaces',
      ' "mx.example.com"; dkim=pass reason="good; signature" header.d="hubspot.com"',
      'mx.example.com',
      [
        {
          method: 'dkim',
          result: 'pass',
          props: { reason: 'good; signature', 'header.d': 'hubspot.com' },
        },
      ],
    ],
    [
      'several resinfos of one method (two signatures), each its own',
      ' amazonses.com; dkim=fail header.d=evil.example; dkim=pass header.i=@hubspot.com',
      'amazonses.com',
      [
        { method: 'dkim', result: 'fail', props: { 'header.d': 'evil.example' } },
        { method: 'dkim', result: 'pass', props: { 'header.i': '@hubspot.com' } },
      ],
    ],
    [
      'a result said only inside a comment is no result',
      ' mx.example.com; (dkim=pass header.d=hubspot.com) dkim=fail header.d=hubspot.com',
      'mx.example.com',
      [{ method: 'dkim', result: 'fail', props: { 'header.d': 'hubspot.com' } }],
    ],
    [
      'nested comments and an escaped parenthesis',
      ' mx.example.com (outer (inner \\) still inner) outer) ; dkim=pass (a (b) c) header.d=hubspot.com',
      'mx.example.com',
      [{ method: 'dkim', result: 'pass', props: { 'header.d': 'hubspot.com' } }],
    ],
    ['"none": no results', ' mx.example.com; none', 'mx.example.com', []],
    [
      'a comment left open swallows the rest',
      ' mx.example.com; dkim=fail (unclosed; dkim=pass header.d=hubspot.com',
      'mx.example.com',
      [{ method: 'dkim', result: 'fail', props: {} }],
    ],
    [
      'a quoted string left open swallows the rest',
      ' mx.example.com; dkim=fail header.b="abc; dkim=pass header.d=hubspot.com',
      'mx.example.com',
      [
        {
          method: 'dkim',
          result: 'fail',
          props: { 'header.b': 'abc; dkim=pass header.d=hubspot.com' },
        },
      ],
    ],
    [
      'the first of a repeated property counts',
      ' mx.example.com; dkim=pass header.d=evil.example header.d=hubspot.com',
      'mx.example.com',
      [{ method: 'dkim', result: 'pass', props: { 'header.d': 'evil.example' } }],
    ],
    [
      'garbage resinfos are skipped, the good one kept',
      ' mx.example.com; =pass; dkim pass; dkim=; ;;; dmarc=pass header.from=hubspot.com',
      'mx.example.com',
      [{ method: 'dmarc', result: 'pass', props: { 'header.from': 'hubspot.com' } }],
    ],
    [
      "Microsoft 365's form, with no authserv-id: its first word is taken as one, and matches none",
      ' spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=hubspot.com; dkim=pass (signature was verified) header.d=hubspot.com;dmarc=pass action=none header.from=hubspot.com',
      'spf=pass',
      null,
    ],
    [
      'NUL characters cannot stand in for a quoted string',
      ' mx.example.com; dkim=pass header.d=\u00000\u0000 header.x="hubspot.com"',
      'mx.example.com',
      [{ method: 'dkim', result: 'pass', props: { 'header.d': '0', 'header.x': 'hubspot.com' } }],
    ],
  ])('%s', (_what, value, authservId, expected) => {
    const parsed = parseAuthenticationResults(value);
    expect(parsed?.authservId ?? null).toBe(authservId);
    if (expected !== null) expect(parsed?.results).toEqual(expected);
  });

  test.each([
    ['empty', ''],
    ['blank', '   \r\n\t '],
    ['only a comment', ' (mx.example.com)'],
    ['only a separator', ' ; dkim=pass header.d=hubspot.com'],
  ])('%s: no authserv-id, nothing read', (_what, value) => {
    expect(parseAuthenticationResults(value)).toBeNull();
  });

  test('hostile sizes are read in one pass and cut, not choked on', () => {
    const huge = [
      ` mx.example.com; dkim=pass header.d=${'a.'.repeat(50_000)}hubspot.com`,
      ` mx.example.com; dkim${' '.repeat(50_000)}x`,
      ` mx.example.com; ${'dkim=pass header.d=evil.example; '.repeat(5_000)}`,
      ` mx.example.com ${'('.repeat(50_000)}`,
      ` mx.example.com; ${'a.'.repeat(50_000)}`,
      ` mx.example.com; dkim=pass ${'h.'.repeat(50_000)}=x`,
    ];
    for (const value of huge) {
      const parsed = parseAuthenticationResults(value);
      expect(parsed?.authservId).toBe('mx.example.com');
      expect(parsed!.results.length).toBeLessThanOrEqual(64);
      for (const r of parsed!.results) expect(r.props['header.d']).not.toBe('hubspot.com');
    }
  });
});

describe('domainAllowed', () => {
  test.each<[string, boolean]>([
    ['hubspot.com', true],
    ['HubSpot.COM.', true],
    ['notifications.hubspot.com', true],
    ['@hubspot.com', true],
    ['noreply@bounce.hubspot.com', true],
    ['evilhubspot.com', false],
    ['hubspot.com.evil.example', false],
    ['com', false],
    ['', false],
    ['@', false],
    ['hubspot.com hubspot.com', false],
  ])('%s: %s', (domain, allowed) => {
    expect(domainAllowed(domain, ['hubspot.com'])).toBe(allowed);
  });

  test('a non-ASCII letter that lower-cases to an ASCII one is not that letter (U+212A KELVIN SIGN is not k)', () => {
    expect('\u212Ab.example'.toLowerCase()).toBe('kb.example');
    expect(domainAllowed('\u212Ab.example', ['kb.example'])).toBe(false);
    expect(domainAllowed('mail.\u212Ab.example', ['kb.example'])).toBe(false);
    expect(domainAllowed('xn--bcher-kva.example', ['xn--bcher-kva.example'])).toBe(true);
  });
});

describe('headerFields', () => {
  test('top first, unfolded, names lower case, an mbox From line and the body left out', () => {
    const raw = Buffer.from(
      'From sender@example.com Mon Nov 30 10:00:00 2026\r\nX-A: one\r\n two\r\nAuthentication-Results:mx.example.com;\r\n\tdkim=pass\r\n\r\nAuthentication-Results: body.example; dkim=pass\r\n',
    );
    expect(headerFields(raw)).toEqual([
      { name: 'x-a', value: ' one two' },
      { name: 'authentication-results', value: 'mx.example.com;\tdkim=pass' },
    ]);
  });
});

describe('judgeSender', () => {
  const policy = { authservIds: ['mx.google.com'], domains: ['hubspot.com'] };
  const message = (...headers: string[]) =>
    Buffer.from(
      [...headers, 'From: HubSpot <noreply@hubspot.com>', 'Subject: x', '', 'body', ''].join(
        '\r\n',
      ),
    );
  const google = (results: string) => `Authentication-Results: mx.google.com; ${results}`;

  test.each<[string, Buffer, ReturnType<typeof judgeSender>['allowed'], string]>([
    ['dkim pass, header.d', message(google('dkim=pass header.d=hubspot.com')), true, 'dkim'],
    ['dkim pass, header.i only', message(google('dkim=pass header.i=@hubspot.com')), true, 'dkim'],
    [
      'dkim pass for a subdomain',
      message(google('dkim=pass header.d=bf01.hubspotemail.hubspot.com')),
      true,
      'dkim',
    ],
    [
      'dmarc pass alone (dkim failed)',
      message(google('dkim=fail header.d=hubspot.com; dmarc=pass header.from=hubspot.com')),
      true,
      'dmarc',
    ],
    [
      'the authserv-id in another case',
      message('Authentication-Results: MX.GOOGLE.COM; dkim=pass header.d=hubspot.com'),
      true,
      'dkim',
    ],
    [
      'dkim pass for another domain',
      message(google('dkim=pass header.d=evil.example; dmarc=fail header.from=hubspot.com')),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      'dmarc pass for another domain',
      message(google('dmarc=pass header.from=evilhubspot.com')),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      'spf pass only (says nothing of the From)',
      message(google('spf=pass smtp.mailfrom=hubspot.com')),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      'dkim neutral',
      message(google('dkim=neutral header.d=hubspot.com')),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      'a forged pass lower down, below the service’s own fail',
      message(
        google('dkim=fail header.d=hubspot.com; dmarc=fail header.from=hubspot.com'),
        google('dkim=pass header.d=hubspot.com; dmarc=pass header.from=hubspot.com'),
      ),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      "another service's pass above the portal's own (ignored), the portal's own fail",
      message(
        'Authentication-Results: mx.evil.example; dkim=pass header.d=hubspot.com',
        google('dkim=fail header.d=hubspot.com'),
      ),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      'only another authserv-id',
      message('Authentication-Results: mx.evil.example; dkim=pass header.d=hubspot.com'),
      false,
      'NO_TRUSTED_RESULTS',
    ],
    [
      'an authserv-id that only starts like the portal’s',
      message('Authentication-Results: mx.google.com.evil.example; dkim=pass header.d=hubspot.com'),
      false,
      'NO_TRUSTED_RESULTS',
    ],
    ['no Authentication-Results at all', message(), false, 'NO_TRUSTED_RESULTS'],
    [
      'the pass only in the body',
      Buffer.from(
        'From: x@hubspot.com\r\n\r\nAuthentication-Results: mx.google.com; dkim=pass header.d=hubspot.com\r\n',
      ),
      false,
      'NO_TRUSTED_RESULTS',
    ],
    [
      'a header.d holding an address is not read as the domain after its "@"',
      message(google('dkim=pass header.d=evil.example@hubspot.com')),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      'a header.d holding an address does not fall back to its header.i',
      message(google('dkim=pass header.d=evil@hubspot.com header.i=@hubspot.com')),
      false,
      'NOT_AUTHENTICATED',
    ],
    [
      'ARC-Authentication-Results is not Authentication-Results',
      message('ARC-Authentication-Results: i=1; mx.google.com; dkim=pass header.d=hubspot.com'),
      false,
      'NO_TRUSTED_RESULTS',
    ],
  ])('%s', (_what, raw, allowed, by) => {
    const verdict = judgeSender(raw, policy);
    expect(verdict.allowed).toBe(allowed);
    expect(verdict.allowed ? verdict.by : verdict.reason).toBe(by);
  });

  test("a refusal says what the service reported, not the message's text", () => {
    const verdict = judgeSender(
      Buffer.from(
        'Authentication-Results: mx.google.com; dkim=fail header.d=evil.example\r\nSubject: secret words\r\n\r\nsecret body\r\n',
      ),
      policy,
    );
    expect(verdict).toEqual({
      allowed: false,
      reason: 'NOT_AUTHENTICATED',
      detail: 'mx.google.com reports dkim=fail evil.example; allowed: hubspot.com',
    });
  });
});
