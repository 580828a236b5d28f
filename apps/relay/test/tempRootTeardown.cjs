// jest globalTeardown: removes the run's folder of test data directories (tempRootSetup.cjs),
// after every test file and its servers have finished.
const { rmSync } = require('node:fs');

module.exports = async function removeTempRoot() {
  const root = process.env.SYNC_DOCTOR_RELAY_TEST_TMP;
  if (root) rmSync(root, { recursive: true, force: true });
};
