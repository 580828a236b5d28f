// jsdom's CSS parser (cssom 0.5, in sfdx-lwc-jest's jsdom 20) cannot read a container query
// (@container), which c/tableStyles uses to stack the object matrix and the field table by their own
// width. It then drops that component's stylesheet and reports "Could not parse CSS stylesheet" on
// console.error, once per test file that renders one of the tables. jsdom lays nothing out, so the
// stylesheet has no part in these tests (the preview's browser tests check the layout in Chromium):
// only that report is dropped, every other console.error goes through.
'use strict';

const report = console.error;
console.error = function error(...args) {
  const [first] = args;
  const isContainerQueryParse =
    args.length === 1 &&
    // jsdom's Error comes from Node's realm, not the test's window: no instanceof.
    typeof first === 'object' &&
    first !== null &&
    first.type === 'css parsing' &&
    typeof first.detail === 'string' &&
    first.detail.includes('@container');
  if (isContainerQueryParse) return;
  report.apply(this, args);
};
