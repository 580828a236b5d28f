// Jest mock of the imperative Apex method SyncDoctorController.getFixRights (JSON text out: { canFix, canAssign, missingRights }).
// Unset it answers undefined, which the page takes as an older controller: the fixes stay enabled.
export default jest.fn();
