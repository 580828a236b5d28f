import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELAY_VERSION } from '../src/version.js';

// The version is a constant (code under test has no import.meta to find package.json by): a
// release that raises one and not the other would report the old version everywhere.
test('RELAY_VERSION is the version of package.json', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(RELAY_VERSION).toBe(pkg.version);
});
