// Jest config of the LWC tests (force-app/**/__tests__ and test-lwc/). Run it through
// `npm run test:lwc`, which starts sfdx-lwc-jest's jest 29 at the repo root (see test-lwc/run-lwc-jest.cjs):
// sfdx-lwc-jest's config and resolver read sfdx-project.json from the current directory.
const path = require('node:path');
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const repoRoot = path.resolve(__dirname, '../..');
const mocks = '<rootDir>/force-app/test/jest-mocks';

module.exports = {
  ...jestConfig,
  rootDir: repoRoot,
  roots: ['<rootDir>/force-app', '<rootDir>/apps/salesforce-package/test-lwc'],
  testMatch: ['**/__tests__/**/*.test.js', '<rootDir>/apps/salesforce-package/test-lwc/**/*.test.js'],
  moduleNameMapper: {
    // Our own mocks, richer than sfdx-lwc-jest's stubs: they let a test publish a platform event
    // and read the toasts that were shown.
    '^lightning/empApi$': `${mocks}/lightning/empApi`,
    '^lightning/platformShowToastEvent$': `${mocks}/lightning/platformShowToastEvent`,
    // One jest.fn() per controller method; an unknown method name fails to resolve, so a test
    // (and the component it drives) cannot drift from the controller's contract unnoticed.
    '^@salesforce/apex/SyncDoctorController\\.(\\w+)$': `${mocks}/apex/SyncDoctorController/$1`,
  },
  setupFilesAfterEnv: [...jestConfig.setupFilesAfterEnv, '<rootDir>/apps/salesforce-package/test-lwc/setup.cjs'],
  testPathIgnorePatterns: ['/node_modules/'],
  // The jsdom environment, the LWC transform and sa11y's axe run take a few seconds per file on a busy machine.
  testTimeout: 20000,
};
