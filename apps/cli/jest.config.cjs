const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  globalSetup: '<rootDir>/test/buildOnce.cjs',
  testTimeout: 30_000,
};
