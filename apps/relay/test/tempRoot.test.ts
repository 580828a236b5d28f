// Test data directories live under the run's own folder (test/tempRootSetup.cjs), which the jest
// teardown removes, so a relay a test never closed leaves nothing in /tmp after the run.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { tempDir } from './helpers.js';

describe('test data directories', () => {
  test("are made in the run's folder, not straight in the system's temp folder", () => {
    const root = process.env.SYNC_DOCTOR_RELAY_TEST_TMP;
    expect(root).toBeDefined();
    expect(dirname(root!)).toBe(tmpdir());
    const dir = tempDir();
    try {
      expect(dirname(dir.path)).toBe(root);
      expect(existsSync(dir.path)).toBe(true);
    } finally {
      dir.remove();
    }
    expect(existsSync(dir.path)).toBe(false);
  });
});
