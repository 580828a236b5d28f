/** The --requirements file as editors on Windows save it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRequirementsFile } from '../src/requirementsFile.js';

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
});
