// Shared jest set-up for the TypeScript workspaces (not force-app: sfdx-lwc-jest has its own jest).
// Tests run the TypeScript sources through SWC as CommonJS, and workspace imports resolve to the
// sources too, so `npm test` never depends on a stale dist/. Avoid `import.meta` in code under test.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    // .mjs too: the ESM-only dependencies below ship .mjs files.
    '^.+\\.m?(t|j)s$': [
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
  // Dependencies that ship ESM only, which jest's CommonJS runtime cannot require, so SWC compiles
  // them too: typebox 1.x (the relay's route schemas), content-disposition 3 (the relay's
  // @fastify/swagger-ui -> @fastify/static) and cookie (hoisted for light-my-request). The relay's
  // sources are reached from the preview's tests as well, hence here and not in the relay alone.
  transformIgnorePatterns: ['/node_modules/(?!(typebox|content-disposition|cookie)/)'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
