import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where the mailbox reader remembers how far it got: per mailbox, the UIDVALIDITY it saw and the
 * highest UID it finished. With the processed keyword on each message this makes restarts safe:
 * the checkpoint skips old messages cheaply, the keyword protects when UIDVALIDITY changes (the
 * server renumbered the mailbox, so old UIDs mean nothing) or the checkpoint was lost.
 */
export interface MailboxCheckpoint {
  /** UIDVALIDITY as a decimal string (it is a 32-bit unsigned number; imapflow gives a bigint). */
  uidValidity: string;
  lastUid: number;
}

export interface CheckpointStore {
  load(key: string): Promise<MailboxCheckpoint | null>;
  save(key: string, checkpoint: MailboxCheckpoint): Promise<void>;
}

export class MemoryCheckpointStore implements CheckpointStore {
  readonly entries = new Map<string, MailboxCheckpoint>();
  async load(key: string): Promise<MailboxCheckpoint | null> {
    return this.entries.get(key) ?? null;
  }
  async save(key: string, checkpoint: MailboxCheckpoint): Promise<void> {
    this.entries.set(key, { ...checkpoint });
  }
}

/** One JSON file, replaced atomically on every save (write to a temporary file, then rename). */
export class FileCheckpointStore implements CheckpointStore {
  constructor(private readonly path: string) {}

  private async readAll(): Promise<Record<string, MailboxCheckpoint>> {
    try {
      const value: unknown = JSON.parse(await readFile(this.path, 'utf8'));
      return typeof value === 'object' && value !== null
        ? (value as Record<string, MailboxCheckpoint>)
        : {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(
        `mailbox checkpoint file ${this.path} is unreadable: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async load(key: string): Promise<MailboxCheckpoint | null> {
    const entry = (await this.readAll())[key];
    return entry && typeof entry.uidValidity === 'string' && Number.isInteger(entry.lastUid)
      ? entry
      : null;
  }

  async save(key: string, checkpoint: MailboxCheckpoint): Promise<void> {
    const all = await this.readAll();
    all[key] = checkpoint;
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(all, null, 2));
    await rename(temporary, this.path);
  }
}
