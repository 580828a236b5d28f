import { PAGE_TEXT_MAX_CHARS, pageText } from '../src/reasons/pageText.js';

describe('pageText: the text of an error page, for quoting', () => {
  it('drops scripts, style sheets, tags and spacing, and keeps the title', () => {
    const page =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body { color: red }</style>' +
      '<script>var x = "<b>";</script></head>\n<body><h1>Service   Unavailable</h1>\n' +
      '<p>Back <em>soon</em>.</p></body></html>';
    expect(pageText(page)).toBe('502 Bad Gateway Service Unavailable Back soon .');
  });

  it('a script never closed drops the rest of the page', () => {
    expect(pageText('<p>Down</p><SCRIPT>window.x = 1; <p>never shown</p>')).toBe('Down');
  });

  it('reads only the first 64 KB', () => {
    const page = `<p>start</p>${' '.repeat(PAGE_TEXT_MAX_CHARS)}<p>past the bound</p>`;
    expect(pageText(page)).toBe('start');
  });

  it('stays linear on a run of unclosed tags (the old patterns were quadratic)', () => {
    // 200,000 '<' took the old patterns over half a minute; bounded to 64 KB and matched up to the
    // next '<', this returns at once. Jest's timeout is the bound: no timing is asserted.
    expect(pageText('<'.repeat(200_000))).toBe('<'.repeat(PAGE_TEXT_MAX_CHARS));
    expect(pageText('<script'.repeat(50_000))).toBe('');
    expect(pageText('<style x'.repeat(20_000))).toBe('');
  });
});
