import { readFile } from 'node:fs/promises';
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
  return bytes.toString('utf8');
}

/** What a failed read means, for an admin who has not met ENOENT. */
const READ_ERRORS: Record<string, string> = {
  ENOENT:
    'there is no such file (check the path; a relative one starts from the current directory)',
  EISDIR: 'it is a directory; give the JSON file in it',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'permission denied (EPERM)',
};

export async function loadRequirementsFile(file: string, cwd: string): Promise<Requirements> {
  let text: string;
  try {
    text = decode(await readFile(resolve(cwd, file)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RequirementsFileError(
      `Cannot read the requirements file ${file}: ${READ_ERRORS[code] ?? code}`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new RequirementsFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return requirementsFromJson(file, document);
}
