/**
 * The relay's version, as its package.json gives it (test/version.test.ts keeps the two equal: the
 * code under test runs as CommonJS, which has no `import.meta` to find the package file by).
 * `--version`, the start log and `relay_build_info` report it, so an operator sees which instances
 * an upgrade has reached: instances on different versions must not run together for long (an older
 * one does not recognise a newer one's batches, docs/delivery.md).
 */
export const RELAY_VERSION = '0.1.0';
