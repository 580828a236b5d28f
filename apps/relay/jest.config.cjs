// Relay tests start real servers (loopback, port 0), a real PostgreSQL schema per run and child
// processes, so they get more time than the default and run one file at a time (2 shared cores).
// Some dependencies ship ESM only, which jest's CommonJS runtime cannot require, so SWC compiles
// them too: typebox 1.x (.mjs, the route schemas), content-disposition 3 (under
// @fastify/swagger-ui -> @fastify/static) and cookie (hoisted for light-my-request).
const preset = require('../../jest.preset.cjs');
const [swc] = Object.values(preset.transform);

module.exports = {
  ...preset,
  transform: { '^.+\\.m?(t|j)s$': swc },
  testTimeout: 60000,
  maxWorkers: 1,
  transformIgnorePatterns: ['/node_modules/(?!(typebox|content-disposition|cookie)/)'],
};
