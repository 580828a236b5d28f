#!/usr/bin/env node
// sync-doctor-org-simulator: serve a fixture org on 127.0.0.1 and print its URL and session id.
import { USAGE, parseCliArgs } from './cli.js';
import { describeFixture } from './fixtures/index.js';
import { startOrgSimulator } from './simulator.js';

async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2));
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command.kind === 'error') {
    process.stderr.write(`sync-doctor-org-simulator: ${command.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const { fixture, size, port } = command;
  const sim = await startOrgSimulator({ fixture, size, port });
  process.stdout.write(
    [
      `Org simulator: fixture ${fixture} (${size}): ${describeFixture(fixture)}`,
      `URL:           ${sim.url}`,
      `Access token:  ${sim.accessToken}`,
      `Admin:         ${sim.adminUser.Username}`,
      `Integration:   ${sim.integrationUser.Username} (${sim.integrationUser.Id})`,
      `Try:           curl -H "Authorization: Bearer ${sim.accessToken}" ${sim.url}/services/data/v64.0/limits`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sync-doctor-org-simulator: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
