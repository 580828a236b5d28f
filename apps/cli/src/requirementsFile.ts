import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  RequirementsDocumentError,
  requirementsFromDocument,
  type Requirements,
} from '@sync-doctor/core';

/** A requirements file that cannot be used: the message names the file and the place. */
export class RequirementsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequirementsFileError';
  }
}

/**
 * Checks a requirements document (a partial `Requirements`, plus an optional `replaceDefaults`)
 * with the core's rules (requirementsFromDocument, which the relay's admin API uses too) and
 * merges it into HubSpot's defaults.
 */
export function requirementsFromJson(file: string, document: unknown): Requirements {
  try {
    return requirementsFromDocument(document);
  } catch (error) {
    if (error instanceof RequirementsDocumentError)
      throw new RequirementsFileError(`${file}: ${error.path} ${error.problem}`);
    throw error;
  }
}

/**
 * The file's text by its byte order mark: Windows editors (Notepad among them) may save UTF-8 with
 * one, which JSON.parse refuses, and Windows PowerShell 5.1 writes UTF-16 (`> extra.json`,
 * Out-File), which read as UTF-8 is noise. Without a mark, UTF-8.
 */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return utf8(bytes);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * UTF-8, or an error naming the line of the first byte UTF-8 does not allow: a file saved as
 * Windows-1252 or Latin-1 would otherwise read with U+FFFD for its accents ('date_cr��e' sought
 * as a HubSpot property) and no word said.
 */
function utf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    const text = bytes.toString('utf8');
    const at = text.indexOf('\uFFFD');
    const line = text.slice(0, at).split('\n').length;
    // The byte: where the replacement stands, counted in bytes.
    const byte = bytes[Buffer.byteLength(text.slice(0, at))]!;
    throw new NotUtf8Error(line, byte);
  }
}

class NotUtf8Error extends Error {
  constructor(
    readonly line: number,
    readonly byte: number,
  ) {
    super(
      `line ${line} holds a byte UTF-8 does not allow (0x${byte.toString(16).toUpperCase().padStart(2, '0')}), as a file saved as Windows-1252 or Latin-1 does. Save it as UTF-8 (a byte order mark is fine) or UTF-16.`,
    );
  }
}

/** What a failed read means, for an admin who has not met ENOENT. */
const READ_ERRORS: Record<string, string> = {
  ENOENT:
    'there is no such file (check the path; a relative one starts from the current directory)',
  EISDIR: 'it is a directory; give the JSON file in it',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'permission denied (EPERM)',
};

/**
 * Far above any org's mapping (20,000 fields take 1 MB): beyond it the file is a mistake, and a
 * path such as /dev/zero or /dev/urandom would otherwise be read until memory runs out.
 */
export const MAX_REQUIREMENTS_BYTES = 10 * 1024 * 1024;

/**
 * The file's bytes, read in chunks up to `max`: a pipe works too (`--requirements <(jq …)`,
 * /dev/stdin), which a size read first could not bound.
 */
async function readAtMost(path: string, max: number, name: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      if (total > max)
        throw new RequirementsFileError(
          `The requirements file ${name} is larger than ${max / 1024 / 1024} MB, far more than any mapping needs: check that it is the requirements JSON`,
        );
      chunks.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

export async function loadRequirementsFile(file: string, cwd: string): Promise<Requirements> {
  let bytes: Buffer;
  try {
    bytes = await readAtMost(resolve(cwd, file), MAX_REQUIREMENTS_BYTES, file);
  } catch (error) {
    if (error instanceof RequirementsFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RequirementsFileError(
      `Cannot read the requirements file ${file}: ${READ_ERRORS[code] ?? code}`,
    );
  }
  let text: string;
  try {
    text = decode(bytes);
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
    throw new RequirementsFileError(`${file} is not UTF-8 text: ${error.message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new RequirementsFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return requirementsFromJson(file, document);
}
