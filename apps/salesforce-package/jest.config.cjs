// Metadata, Apex and deploy-script checks for force-app (the LWC tests run through test:lwc).
// Only test/ is matched here, so the lwc/ folder's own __tests__ never run under this config.
module.exports = {
  ...require('../../jest.preset.cjs'),
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // PMD (a JVM) and source-deploy-retrieve take seconds to start on a shared 2-core machine.
  testTimeout: 120000,
};
