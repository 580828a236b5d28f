import { classifySuspensionText } from './classifySuspensionText.js';
import { classifySyncErrorText } from './classifySyncErrorText.js';
import { normalizeText, stripHtml } from './normalizeText.js';

// The regular expressions stripHtml used until 29 Nov 2026: the reference for what it reads from
// ordinary markup. They rescan the rest of the text from every opener without a closer, so their
// cost grows with the square of hostile text (1 MB of "<style" took 176 s).
function regexStripHtml(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(style|script|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ');
}

describe('stripHtml', () => {
  test.each([
    [
      'an HTML e-mail',
      '<html><head><title>x</title><style>h1 { color: red }</style></head><body><h1>Salesforce Organization API limit exceeded</h1><!-- tracking --><p>See &amp; fix</p></body></html>',
    ],
    [
      'a script with a < inside',
      '<div>Feltrettigheder mangler</div><script type="x">var a = 1 < 2;</script> after',
    ],
    ['plain text with comparisons', 'Plain text: Salesforce Organization locked (a < b, 3 > 2)'],
    ['upper-case tags with spaces before >', '<STYLE >p{}</STYLE  >Storage limit exceeded<br/>'],
    ['a header element (not head)', '<header>Org locked</header><headline>x</headline>'],
    ['an unclosed comment and tag', 'before <!-- never closed <b>bold</b> and <a href="x" never'],
    ['closing tags and attributes', '</p><a href="https://example.com/?a=1&b=2">link</a >'],
  ])('reads %s as the regular expressions did', (_name, html) => {
    expect(normalizeText(stripHtml(html))).toBe(normalizeText(regexStripHtml(html)));
  });

  test('drops style, script and head contents and keeps the words', () => {
    expect(
      normalizeText(
        stripHtml(
          '<head><title>Subject</title></head><style>.x{}</style><p>Org&nbsp;locked</p><script>alert(1)</script>',
        ),
      ),
    ).toBe(' org locked ');
  });

  test('keeps a "<" that opens nothing as text', () => {
    expect(stripHtml('3 < 4 and <3')).toBe('3 < 4 and <3');
  });

  // Linear, not quadratic: each case took from 3 s to 3 minutes with the regular expressions. The
  // bound is thirty times what the linear pass takes on a slow machine, far below the quadratic cost.
  test.each([
    ['<a', '<a'],
    ['<style', '<style'],
    ['<!--', '<!--'],
    ['</style without >', '<style></style '],
    ['mixed openers', '<a <!-- <style </style <script x'],
  ])('%s repeated over 1 MB is read at once', (_name, piece) => {
    const text = piece.repeat(Math.ceil(1_000_000 / piece.length));
    // This thread's CPU time, not the clock: on a loaded machine the clock runs on while the test
    // waits for a core. The quadratic readings this guards against took minutes of CPU.
    const started = process.threadCpuUsage();
    expect(classifySuspensionText(text)).toBeNull();
    expect(classifySyncErrorText(text)).toBeNull();
    expect(stripHtml(text).length).toBeGreaterThan(0);
    const { user, system } = process.threadCpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(3000);
  });

  test('a heading after a megabyte of hostile markup is past what is read', () => {
    const text = `${'<a'.repeat(600_000)} Salesforce Organization locked`;
    expect(classifySuspensionText(text)).toBeNull();
    expect(
      classifySuspensionText(`<p>Salesforce Organization locked</p>${'<a'.repeat(600_000)}`)
        ?.reason,
    ).toBe('ORG_LOCKED');
  });
});
