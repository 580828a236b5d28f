#!/usr/bin/env node
// npm run sf:install -w apps/salesforce-package -- --target-org ALIAS --package 04t...
// Installs a version of the unlocked package into an org (for admins only) and assigns you the
// Sync_Doctor_Admin permission set.
import {
  APP_PATH,
  SF_IN_SHELL,
  ScriptError,
  assignAdminPermissionSet,
  main,
  parseOptions,
  requireAuthorised,
  requireSf,
  run,
} from './lib/sf.mjs';

const USAGE = `Usage: npm run sf:install -w apps/salesforce-package -- --target-org ALIAS --package VERSION_ID [--wait 20]
  --target-org  alias of the org to install into (${SF_IN_SHELL} org login web --alias ALIAS)
  --package     the version id (04t...) printed by sf:package:version, or its alias "Sync Doctor@x.y.z-n"
  --wait        minutes to wait for the installation (default 20)`;

const VERSION_ID = /^04t[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/;

main((argv) => {
  const options = parseOptions(argv, {
    options: {
      'target-org': { type: 'string' },
      package: { type: 'string' },
      wait: { type: 'string', default: '20' },
    },
    required: ['target-org', 'package'],
    usage: USAGE,
  });
  const targetOrg = options['target-org'];
  const version = options.package;
  if (!VERSION_ID.test(version) && !version.includes('@')) {
    throw new ScriptError(
      `"${version}" is not a package version id (04t followed by 12 or 15 letters and digits).\n\n${USAGE}`,
      2,
    );
  }
  const sf = requireSf();
  requireAuthorised(sf, targetOrg);
  console.log(`Installing ${version} into ${targetOrg} (for admins only)...`);
  run(
    sf,
    [
      'package',
      'install',
      '--package',
      version,
      '--target-org',
      targetOrg,
      '--wait',
      options.wait,
      '--security-type',
      'AdminsOnly',
      '--no-prompt',
    ],
    { what: 'sf package install' },
  );
  assignAdminPermissionSet(sf, targetOrg);
  console.log(
    `\nDone. Open the app: ${SF_IN_SHELL} org open --target-org ${targetOrg} --path ${APP_PATH}\nor App Launcher > Sync Doctor.`,
  );
});
