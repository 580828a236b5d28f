const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  moduleNameMapper: {
    // A subpath entry of a workspace package, to its source as the preset maps the packages.
    '^@sync-doctor/salesforce/(secrets|transient)$':
      '<rootDir>/../../packages/salesforce/src/$1.ts',
    ...preset.moduleNameMapper,
  },
  globalSetup: '<rootDir>/test/buildOnce.cjs',
  testTimeout: 30_000,
};
