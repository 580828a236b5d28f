/** The --requirements file as editors on Windows save it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_REQUIREMENTS_BYTES, loadRequirementsFile } from '../src/requirementsFile.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-doctor-requirements-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// With CRLF line ends, as Windows writes them.
const TEXT = JSON.stringify(
  { objects: [{ name: 'Invoice__c', access: ['read', 'edit'] }] },
  null,
  2,
).replace(/\n/g, '\r\n');

const saved = {
  'UTF-8': Buffer.from(TEXT, 'utf8'),
  'UTF-8 with a byte order mark (Notepad)': Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(TEXT, 'utf8'),
  ]),
  'UTF-16 LE (Windows PowerShell 5.1: > file, Out-File)': Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    Buffer.from(TEXT, 'utf16le'),
  ]),
  'UTF-16 BE': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEXT, 'utf16le').swap16()]),
};

describe('loadRequirementsFile', () => {
  it.each(Object.entries(saved))('reads a file saved as %s', async (name, bytes) => {
    const file = `${name.replace(/\W+/g, '-')}.json`;
    writeFileSync(join(dir, file), bytes);
    const requirements = await loadRequirementsFile(file, dir);
    expect(requirements.objects).toContainEqual(
      expect.objectContaining({ name: 'Invoice__c', access: ['read', 'edit'] }),
    );
  });

  it('says in words why a file cannot be read', async () => {
    await expect(loadRequirementsFile('nope.json', dir)).rejects.toThrow(
      'Cannot read the requirements file nope.json: there is no such file (check the path; a relative one starts from the current directory)',
    );
    await expect(loadRequirementsFile('.', dir)).rejects.toThrow(
      'Cannot read the requirements file .: it is a directory; give the JSON file in it',
    );
  });

  it('refuses a file that is not UTF-8 (Windows-1252, Latin-1) instead of reading é as U+FFFD', async () => {
    const text = [
      '{ "fields": [',
      '  { "name": "Contact.Birthdate", "access": ["read"], "hubspotProperty": "date_créée" }',
      '] }',
    ].join('\r\n');
    writeFileSync(join(dir, 'utf8.json'), Buffer.from(text, 'utf8'));
    const requirements = await loadRequirementsFile('utf8.json', dir);
    expect(requirements.fields).toContainEqual(
      expect.objectContaining({ name: 'Contact.Birthdate', hubspotProperty: 'date_créée' }),
    );
    // As Windows-1252 saves it: é is 0xE9 alone, which UTF-8 does not allow.
    writeFileSync(join(dir, 'latin1.json'), Buffer.from(text, 'latin1'));
    await expect(loadRequirementsFile('latin1.json', dir)).rejects.toThrow(
      'latin1.json is not UTF-8 text: line 2 holds a byte UTF-8 does not allow (0xE9), as a file saved as Windows-1252 or Latin-1 does. Save it as UTF-8 (a byte order mark is fine) or UTF-16.',
    );
  });

  it('refuses a file over 10 MB, and stops reading one that never ends (/dev/zero)', async () => {
    // Valid JSON, padded: read whole, it would be taken.
    writeFileSync(join(dir, 'padded.json'), `${' '.repeat(MAX_REQUIREMENTS_BYTES)}{}`);
    const tooLarge =
      'The requirements file padded.json is larger than 10 MB, far more than any mapping needs: check that it is the requirements JSON';
    await expect(loadRequirementsFile('padded.json', dir)).rejects.toThrow(tooLarge);
    await expect(loadRequirementsFile('/dev/zero', dir)).rejects.toThrow(
      'The requirements file /dev/zero is larger than 10 MB',
    );
    // A file just under the limit still reads.
    writeFileSync(join(dir, 'large.json'), `${' '.repeat(MAX_REQUIREMENTS_BYTES - 2)}{}`);
    await expect(loadRequirementsFile('large.json', dir)).resolves.toBeDefined();
  });
});
