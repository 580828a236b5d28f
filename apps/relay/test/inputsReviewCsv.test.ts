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

// HubSpot's UI, and so its export's headings, come in the user's language. English and Danish
// were read; an export in German, French or Polish was a 422 naming headers the relay did not know.
describe('an export whose headings are in another language', () => {
  const read = (text: string) => readSyncErrors(chunks(Buffer.from(text, 'utf8')));

  test.each([
    [
      'German (Excel, semicolons)',
      'Objekt;Feld;Fehlertyp;Datensatz-ID;Fehlermeldung\r\nContact;Industry;Feldberechtigung;101;INVALID_FIELD_FOR_INSERT_UPDATE: Industry\r\n',
      { errorType: 'Fehlertyp', object: 'Objekt', field: 'Feld', message: 'Fehlermeldung' },
    ],
    [
      'French (typographic apostrophes)',
      'Type d’erreur;Objet;Champ;Message d’erreur\r\nAutorisation;Contact;Industry;INVALID_FIELD_FOR_INSERT_UPDATE: Industry\r\n',
      { errorType: 'Type d’erreur', object: 'Objet', field: 'Champ', message: 'Message d’erreur' },
    ],
    [
      'Spanish',
      'Tipo de error,Objeto,Propiedad,Mensaje de error\r\nPermiso,Contact,Industry,INVALID_FIELD_FOR_INSERT_UPDATE: Industry\r\n',
      {
        errorType: 'Tipo de error',
        object: 'Objeto',
        field: 'Propiedad',
        message: 'Mensaje de error',
      },
    ],
    [
      'Polish (ł, which NFKD keeps)',
      'Typ błędu;Obiekt;Właściwość;Komunikat błędu\r\nUprawnienie;Contact;Industry;INVALID_FIELD_FOR_INSERT_UPDATE: Industry\r\n',
      { errorType: 'Typ błędu', object: 'Obiekt', field: 'Właściwość', message: 'Komunikat błędu' },
    ],
    [
      'Japanese',
      'エラーの種類,オブジェクト,プロパティ,エラーメッセージ\r\n権限,Contact,Industry,INVALID_FIELD_FOR_INSERT_UPDATE: Industry\r\n',
      {
        errorType: 'エラーの種類',
        object: 'オブジェクト',
        field: 'プロパティ',
        message: 'エラーメッセージ',
      },
    ],
  ])('%s: its columns are found, in their order', async (_language, text, columns) => {
    const report = await read(text);
    expect(report.columns).toMatchObject(columns);
    expect(report.rows).toBe(1);
    expect(report.byField).toEqual({ 'Contact.Industry': 1 });
    expect(report.findings[0]).toMatchObject({
      reason: 'FIELD_PERMISSIONS_MISSING',
      field: 'Industry',
      object: 'Contact',
    });
  });
});
