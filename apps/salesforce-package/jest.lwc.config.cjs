// Jest config of the LWC tests. Run it through `npm run test:lwc`, which starts sfdx-lwc-jest's
// jest 29 at the repo root (see test-lwc/run-lwc-jest.cjs): sfdx-lwc-jest's config and resolver
// read sfdx-project.json from the current directory.
//  - project "lwc": the components' tests (force-app/**/__tests__) in jsdom, with sa11y.
//  - project "core-module": checks of the generated c/syncDoctorCore module, in plain Node.
const path = require('node:path');
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const repoRoot = path.resolve(__dirname, '../..');
const mocks = '<rootDir>/force-app/test/jest-mocks';

const lwc = {
  ...jestConfig,
  displayName: 'lwc',
  rootDir: repoRoot,
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/__tests__/**/*.test.js'],
  moduleNameMapper: {
    // Our own mocks, richer than sfdx-lwc-jest's stubs: they let a test publish a platform event
    // and read the toasts that were shown.
    '^lightning/empApi$': `${mocks}/lightning/empApi`,
    '^lightning/platformShowToastEvent$': `${mocks}/lightning/platformShowToastEvent`,
    // One jest.fn() per controller method; an unknown method name fails to resolve, so a test
    // (and the component it drives) cannot drift from the controller's contract unnoticed.
    '^@salesforce/apex/SyncDoctorController\\.(\\w+)$': `${mocks}/apex/SyncDoctorController/$1`,
    // The CSS-only modules (c/tableStyles, c/findingLinkStyles) have no .js for sfdx-lwc-jest's
    // resolver to find.
    '^c/(tableStyles|findingLinkStyles)$': '<rootDir>/force-app/main/default/lwc/$1/$1.css',
    // The tests' shared helpers (flush, resetDOM, byId), as lwc-recipes maps its own.
    '^test-utils$': '<rootDir>/force-app/test/jest-utils/index.js',
  },
  setupFilesAfterEnv: [
    ...jestConfig.setupFilesAfterEnv,
    '<rootDir>/apps/salesforce-package/test-lwc/setup.cjs',
    '<rootDir>/apps/salesforce-package/test-lwc/jsdomCss.cjs',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
};

const coreModule = {
  displayName: 'core-module',
  rootDir: repoRoot,
  roots: ['<rootDir>/apps/salesforce-package/test-lwc'],
  testMatch: ['**/*.test.cjs'],
  testEnvironment: 'node',
  transform: {},
};

module.exports = {
  projects: [lwc, coreModule],
  // The jsdom environment, the LWC transform and sa11y's axe run take a few seconds per file on a busy machine.
  testTimeout: 30000,
};
