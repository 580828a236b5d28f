// The large fixture builds 60,000 field permissions; on a loaded CI machine that can take seconds.
module.exports = { ...require('../../jest.preset.cjs'), testTimeout: 30000 };
