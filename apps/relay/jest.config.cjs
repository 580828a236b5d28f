// Relay tests start real servers (loopback, port 0), a real PostgreSQL schema per run and child
// processes, so they get more time than the default and run one file at a time (2 shared cores).
// content-disposition 3 (under @fastify/swagger-ui -> @fastify/static) and cookie (hoisted for light-my-request) ship ESM only, which
// jest's CommonJS runtime cannot require: let SWC compile those packages.
module.exports = {
  ...require('../../jest.preset.cjs'),
  testTimeout: 60000,
  maxWorkers: 1,
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
};
