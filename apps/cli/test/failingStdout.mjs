// Preloaded (node --import) by the e2e test: every write to stdout fails as on a full disk
// (ENOSPC), as `> /dev/full` does on Linux, on any system.
process.stdout._write = (_chunk, _encoding, callback) =>
  callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
