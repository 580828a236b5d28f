#!/usr/bin/env node
// npm run sf:deploy -w apps/salesforce-package -- --target-org ALIAS
// Deploys force-app from source to an org the Salesforce CLI is logged in to, then assigns you
// the Sync_Doctor_Admin permission set so the app shows in your App Launcher.
import {
  APP_PATH,
  SF_IN_SHELL,
  assignAdminPermissionSet,
  main,
  parseOptions,
  regenerateCoreModule,
  requireAuthorised,
  requireSf,
  run,
} from './lib/sf.mjs';

const USAGE = `Usage: npm run sf:deploy -w apps/salesforce-package -- --target-org ALIAS [--test-level RunLocalTests] [--dry-run] [--skip-build] [--wait 30]
  --target-org   alias or username of an org the sf CLI is logged in to (${SF_IN_SHELL} org login web --alias ALIAS)
  --test-level   NoTestRun | RunLocalTests | RunAllTestsInOrg (production orgs run local tests anyway)
  --dry-run      validate the deploy without saving it
  --skip-build   do not regenerate the core module first
  --wait         minutes to wait for the deploy (default 30)`;

main((argv) => {
  const options = parseOptions(argv, {
    options: {
      'target-org': { type: 'string' },
      'test-level': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      wait: { type: 'string', default: '30' },
    },
    required: ['target-org'],
    usage: USAGE,
  });
  const targetOrg = options['target-org'];
  const sf = requireSf();
  requireAuthorised(sf, targetOrg);
  if (!options['skip-build']) regenerateCoreModule();

  console.log(`${options['dry-run'] ? 'Validating' : 'Deploying'} force-app to ${targetOrg}...`);
  const deployArgs = [
    'project',
    'deploy',
    'start',
    '--source-dir',
    'force-app',
    '--target-org',
    targetOrg,
    '--wait',
    options.wait,
  ];
  if (options['test-level']) deployArgs.push('--test-level', options['test-level']);
  if (options['dry-run']) deployArgs.push('--dry-run');
  run(sf, deployArgs, { what: 'sf project deploy start' });
  if (options['dry-run']) {
    console.log('\nValidation passed; nothing was saved. Run again without --dry-run to deploy.');
    return;
  }

  assignAdminPermissionSet(sf, targetOrg);
  console.log(
    `\nDone. Open the app: ${SF_IN_SHELL} org open --target-org ${targetOrg} --path ${APP_PATH}\n` +
      'or App Launcher > Sync Doctor. Pick the HubSpot integration user there and save your HubSpot portal id.',
  );
});
