module.exports = {
  ...require('../../jest.preset.cjs'),
  globalSetup: '<rootDir>/test/buildOnce.cjs',
  testTimeout: 30_000,
};
