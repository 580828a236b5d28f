// Shared jest set-up for the TypeScript workspaces (not force-app: sfdx-lwc-jest has its own jest).
// Tests run the TypeScript sources through SWC as CommonJS, and workspace imports resolve to the
// sources too, so `npm test` never depends on a stale dist/. Avoid `import.meta` in code under test.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      require.resolve('@swc/jest'),
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@sync-doctor/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
    // A light subpath entry (`@sync-doctor/salesforce/transient`), to its source file likewise.
    '^@sync-doctor/([a-z-]+)/([a-z]+)$': path.join(__dirname, 'packages/$1/src/$2.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
