// jest globalSetup: one folder for every data directory this run's tests make (tempDir() in
// helpers.ts), so that the teardown can remove them all. A test that never closes its relay
// (or fails before it does) would otherwise leave a relay.sqlite in /tmp for good: a CI run
// left 41 of them before this.
const { chmodSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function makeTempRoot() {
  const root = mkdtempSync(join(tmpdir(), 'relay-tests-'));
  // Others may pass through (not list): tests that run the relay as an unprivileged user open
  // their own directory below it, as they would straight under /tmp.
  chmodSync(root, 0o711);
  process.env.SYNC_DOCTOR_RELAY_TEST_TMP = root;
};
