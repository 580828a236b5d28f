// Adds `toBeAccessible()` (axe-core through @sa11y) to every LWC test.
const { setup } = require('@sa11y/jest');

setup();
