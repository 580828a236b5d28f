// Relay tests start real servers (loopback, port 0), a real PostgreSQL schema per run and child
// processes, so they get more time than the default and run one file at a time (2 shared cores).
module.exports = {
  ...require('../../jest.preset.cjs'),
  testTimeout: 60000,
  maxWorkers: 1,
  // Every test data directory lives under one folder per run, removed at the end.
  globalSetup: '<rootDir>/test/tempRootSetup.cjs',
  globalTeardown: '<rootDir>/test/tempRootTeardown.cjs',
};
