// The preview package's own folder, for code that must find its browser sources, standins and
// fixtures at run time. A CommonJS file at the package root so both the compiled ESM (dist/x/y.js)
// and the jest run of the TypeScript sources (src/x/y.ts, loaded as CommonJS) reach it by the same
// relative path, without `import.meta` (unavailable under jest) or the working directory.
'use strict';
const path = require('node:path');

module.exports = { previewRoot: __dirname, repoRoot: path.resolve(__dirname, '..', '..') };
