const path = require('node:path');
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  moduleNameMapper: {
    // The relay is an app, not a package: map it to its sources like the preset does for packages.
    '^@sync-doctor/relay$': path.join(__dirname, '../relay/src/index.ts'),
    ...preset.moduleNameMapper,
  },
  testTimeout: 60_000,
  // One browser at a time on a shared 2-core machine.
  maxWorkers: 1,
};
