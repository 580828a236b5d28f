#!/usr/bin/env node
// sync-doctor-hubspot-simulator: serve a HubSpot portal in one of the scenarios and print its URL and token.
import { parseCliArgs, USAGE } from './cli.js';
import { startHubSpotSimulator } from './simulator.js';

async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2));
  if (command.kind === 'help') return void process.stdout.write(`${USAGE}\n`);
  if (command.kind === 'error') {
    process.stderr.write(`sync-doctor-hubspot-simulator: ${command.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const sim = await startHubSpotSimulator({ scenario: command.scenario, port: command.port });
  process.stdout.write(
    [
      `HubSpot simulator: scenario ${command.scenario}, portal ${sim.portalId}`,
      `URL (basePath): ${sim.url}`,
      `Access token:   ${sim.accessToken}`,
      `Try: curl -X POST -H "Authorization: Bearer ${sim.accessToken}" -H "content-type: application/json" -d '{"limit":2}' ${sim.url}/crm/v3/objects/contacts/search`,
      '',
    ].join('\n'),
  );
  const shutdown = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
