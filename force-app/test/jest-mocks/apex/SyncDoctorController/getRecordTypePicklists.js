// Jest mock of the imperative Apex method SyncDoctorController.getRecordTypePicklists (JSON text in, JSON text out).
// Tests set its answer with mockResolvedValue(JSON.stringify(...)) or mockRejectedValue({ body: { message } }).
export default jest.fn();
