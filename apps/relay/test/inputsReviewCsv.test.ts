import { ExportDecoder } from '../src/inputs/textDecoding.js';
import { readSyncErrors } from '../src/inputs/syncErrors.js';

// Windows-1252 is recognised by the first byte that is not ASCII, wherever it is. A chunk of the
// upload (a socket read, 64 KB of the spool file) can end right after that byte, and "æ" (0xE6)
// or "å" (0xE5) alone is also how a UTF-8 character starts: it must decide with what follows.

const ascii =
  'Error type;Object;Field;Error message\r\n' + 'Picklist;Lead;Rating;bad value\r\n'.repeat(700);

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield part;
}

describe('a Windows-1252 export whose first "æ" ends a chunk', () => {
  test('the decoder waits for the next chunk, and reads Windows-1252 from there on', () => {
    const head = Buffer.from(ascii, 'latin1');
    const decoder = new ExportDecoder(head);
    let text = decoder.decode(head);
    text += decoder.decode(Buffer.from('Picklist;Lead;Rating;\xe6', 'latin1'));
    text += decoder.decode(Buffer.from('ble og p\xe6re\r\n', 'latin1'));
    text += decoder.end();
    expect(decoder.encoding).toBe('windows-1252');
    expect(text.endsWith('Picklist;Lead;Rating;æble og pære\r\n')).toBe(true);
  });

  test('a text that ends inside its first non-ASCII character is Windows-1252 too', () => {
    const head = Buffer.from('Error type;Error message\r\nPicklist;', 'latin1');
    const decoder = new ExportDecoder(head);
    let text = decoder.decode(head);
    text += decoder.decode(Buffer.from('\xe5', 'latin1'));
    text += decoder.end();
    expect([decoder.encoding, text.slice(-2)]).toEqual(['windows-1252', ';å']);
  });

  test('UTF-8 cut inside its first character is still UTF-8', () => {
    const utf8 = Buffer.from('Error type;Error message\r\nPicklist;æble\r\n', 'utf8');
    const cut = utf8.indexOf(0xc3) + 1;
    const decoder = new ExportDecoder(utf8.subarray(0, 10));
    const text =
      decoder.decode(utf8.subarray(0, cut)) + decoder.decode(utf8.subarray(cut)) + decoder.end();
    expect([decoder.encoding, text]).toEqual(['utf-8', utf8.toString('utf8')]);
  });

  test('through readSyncErrors: the field and the message keep their letters', async () => {
    const report = await readSyncErrors(
      chunks(
        Buffer.from(ascii, 'latin1'),
        Buffer.from('Picklist;Lead;R\xe6', 'latin1'),
        Buffer.from('kkef\xf8lge;V\xe6rdien findes ikke\r\n', 'latin1'),
      ),
    );
    expect(report.encoding).toBe('windows-1252');
    expect(report.byField).toMatchObject({ 'Lead.Rating': 700, 'Lead.Rækkefølge': 1 });
    expect(report.findings.map((finding) => finding.example)).toContain('Værdien findes ikke');
  });
});
