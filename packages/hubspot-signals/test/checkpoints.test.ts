import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpointStore } from '../src/index.js';

// The file store on its own: the mailbox tests use it only on the happy path.
describe('FileCheckpointStore', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'sync-doctor-checkpoints-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('starts empty without a file, and keeps each mailbox apart across instances', async () => {
    const path = join(scratch, 'nested', 'checkpoints.json');
    expect(await new FileCheckpointStore(path).load('inbox')).toBeNull();

    await new FileCheckpointStore(path).save('inbox', { uidValidity: '4294967295', lastUid: 12 });
    await new FileCheckpointStore(path).save('other', { uidValidity: '7', lastUid: 3 });

    const reopened = new FileCheckpointStore(path);
    expect(await reopened.load('inbox')).toEqual({ uidValidity: '4294967295', lastUid: 12 });
    expect(await reopened.load('other')).toEqual({ uidValidity: '7', lastUid: 3 });
  });

  it('ignores an entry of the wrong shape rather than trusting it', async () => {
    const path = join(scratch, 'checkpoints.json');
    writeFileSync(path, JSON.stringify({ inbox: { uidValidity: 7, lastUid: '3' } }));
    expect(await new FileCheckpointStore(path).load('inbox')).toBeNull();
  });

  it('refuses a damaged file, naming it and keeping the parse error as the cause, and leaves it as it was', async () => {
    const path = join(scratch, 'checkpoints.json');
    writeFileSync(path, '{"inbox": {"uidValidity": "7", "lastU');
    const store = new FileCheckpointStore(path);

    const error = await store.load('inbox').then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`mailbox checkpoint file ${path} is unreadable`);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);

    // Saving over it would forget every other mailbox's place, so it is refused too.
    await expect(store.save('inbox', { uidValidity: '7', lastUid: 4 })).rejects.toThrow(
      /is unreadable/,
    );
    expect(readFileSync(path, 'utf8')).toBe('{"inbox": {"uidValidity": "7", "lastU');
  });
});
