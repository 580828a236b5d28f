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

export async function loadRequirementsFile(file: string, cwd: string): Promise<Requirements> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new RequirementsFileError(
      `Cannot read the requirements file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let document: unknown;
  try {
    // Windows editors (Notepad among them) may save UTF-8 with a byte order mark; JSON.parse refuses it.
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new RequirementsFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return requirementsFromJson(file, document);
}
