#!/usr/bin/env node
// npm run sf:package:version -w apps/salesforce-package -- --target-dev-hub HUB
// Creates a new version of the unlocked package "Sync Doctor" (with code coverage, so it can be
// promoted and installed in production), creating the package itself the first time.
import {
  PACKAGE_NAME,
  SF_IN_SHELL,
  ScriptError,
  main,
  parseOptions,
  readProject,
  regenerateCoreModule,
  requireAuthorised,
  requireSf,
  run,
} from './lib/sf.mjs';

const USAGE = `Usage: npm run sf:package:version -w apps/salesforce-package -- --target-dev-hub HUB [--wait 60] [--skip-build]
  --target-dev-hub  alias of your Dev Hub org (${SF_IN_SHELL} org login web --set-default-dev-hub --alias HUB)
  --wait            minutes to wait for the version (default 60)
  --skip-build      do not regenerate the core module first`;

main((argv) => {
  const options = parseOptions(argv, {
    options: {
      'target-dev-hub': { type: 'string' },
      wait: { type: 'string', default: '60' },
      'skip-build': { type: 'boolean', default: false },
    },
    required: ['target-dev-hub'],
    usage: USAGE,
  });
  const hub = options['target-dev-hub'];
  const sf = requireSf();
  requireAuthorised(sf, hub, { devHub: true });
  if (!options['skip-build']) regenerateCoreModule();

  if (!readProject().packageAliases?.[PACKAGE_NAME]) {
    console.log(
      `The Dev Hub has no "${PACKAGE_NAME}" package yet: creating it (sfdx-project.json gets its id; commit it).`,
    );
    run(
      sf,
      [
        'package',
        'create',
        '--name',
        PACKAGE_NAME,
        '--package-type',
        'Unlocked',
        '--path',
        'force-app',
        '--no-namespace',
        '--target-dev-hub',
        hub,
      ],
      { what: 'sf package create' },
    );
  }

  console.log(
    `Creating a "${PACKAGE_NAME}" version with code coverage; this runs the Apex tests and takes several minutes...`,
  );
  const answer = run(
    sf,
    [
      'package',
      'version',
      'create',
      '--package',
      PACKAGE_NAME,
      '--code-coverage',
      '--installation-key-bypass',
      '--wait',
      options.wait,
      '--target-dev-hub',
      hub,
      '--json',
    ],
    { capture: true, what: 'sf package version create' },
  );
  let versionId;
  try {
    versionId = JSON.parse(answer).result?.SubscriberPackageVersionId;
  } catch {
    versionId = undefined;
  }
  if (!versionId)
    throw new ScriptError(`sf package version create gave no version id: ${answer.slice(0, 500)}`);
  console.log(
    `\nCreated ${PACKAGE_NAME} version ${versionId}.\n` +
      `Install it: npm run sf:install -w apps/salesforce-package -- --target-org ALIAS --package ${versionId}\n` +
      `Promote it for production: ${SF_IN_SHELL} package version promote --package ${versionId} --target-dev-hub ${hub}`,
  );
});
