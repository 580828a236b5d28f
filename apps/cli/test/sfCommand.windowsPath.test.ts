/**
 * On Windows the `sf` the advice is spelled for is the one @sync-doctor/salesforce starts: by its
 * full path from PATH's drive or share paths, never from the current directory (an sf.cmd planted
 * in a cloned repository), which an empty or relative PATH entry would mean. Linux stands in for
 * Windows here: the platform, the environment and the file system's answers are the test's.
 */
import { win32 } from 'node:path';
import { sfCommand, sfOnPath } from '../src/sfCommand.js';

/** The directory the check runs in: a cloned repository. */
const CWD = 'C:\\work\\repo';

/** A file system that holds `files`; a relative path is the current directory's, as on Windows. */
function fileSystem(...files: string[]): (path: string) => boolean {
  const held = new Set(files.map((file) => file.toLowerCase()));
  return (path) => held.has(win32.resolve(CWD, path).toLowerCase());
}

describe('sfOnPath on Windows', () => {
  it("PATH's sf.cmd by its full path (one with spaces as it is), not the current directory's", () => {
    const exists = fileSystem(`${CWD}\\sf.cmd`, 'C:\\Program Files\\sf\\bin\\sf.cmd');
    expect(
      sfOnPath({ Path: 'C:\\Windows\\System32;C:\\Program Files\\sf\\bin' }, 'win32', exists),
    ).toBe('C:\\Program Files\\sf\\bin\\sf.cmd');
  });

  it('an empty or relative PATH entry is not the current directory: the next absolute one answers', () => {
    const exists = fileSystem(
      `${CWD}\\sf.cmd`,
      `${CWD}\\tools\\sf.cmd`,
      `${CWD}\\node_modules\\.bin\\sf.cmd`,
      'C:\\npm\\sf.cmd',
    );
    expect(sfOnPath({ PATH: ';.;tools;.\\node_modules\\.bin;C:\\npm' }, 'win32', exists)).toBe(
      'C:\\npm\\sf.cmd',
    );
    for (const PATH of ['', ';', '.', 'tools', 'C:', 'C:tools', '\\'])
      expect(sfOnPath({ PATH }, 'win32', exists)).toBeUndefined();
  });

  it('sf.cmd, else sf.exe; PATH by any case, an entry in quotes', () => {
    const exists = fileSystem('C:\\a\\sf.exe', 'C:\\b b\\sf.cmd');
    expect(sfOnPath({ path: 'C:\\a;"C:\\b b"' }, 'win32', exists)).toBe('C:\\a\\sf.exe');
    expect(sfOnPath({ PATH: '"C:\\b b";C:\\a' }, 'win32', exists)).toBe('C:\\b b\\sf.cmd');
  });
});

describe('sfCommand on Windows', () => {
  it("'npx sf' for the repository's on PATH by its full path (as npx puts it there), not for a relative node_modules\\.bin", () => {
    const exists = fileSystem(
      `${CWD}\\node_modules\\.bin\\sf.cmd`,
      'C:\\Program Files\\sf\\bin\\sf.cmd',
    );
    const spelled = (PATH: string) => sfCommand({ PATH }, [], 'win32', exists);
    expect(spelled(`${CWD}\\node_modules\\.bin;C:\\Program Files\\sf\\bin`)).toBe('npx sf');
    // The installed one is what starts: the current directory's node_modules\.bin is passed over.
    expect(spelled('.\\node_modules\\.bin;C:\\Program Files\\sf\\bin')).toBe('sf');
  });
});
