#!/usr/bin/env node
// sync-doctor-org-simulator: serve a fixture org on 127.0.0.1 and print its URL and session id.
import { parseArgs } from 'node:util';
import { FIXTURE_NAMES, describeFixture, isFixtureName } from './fixtures/index.js';
import { startOrgSimulator } from './simulator.js';

const USAGE = `Usage: sync-doctor-org-simulator [--fixture NAME] [--size default|large] [--port N]

Serves a simulated Salesforce org (REST API, OAuth token endpoint) on 127.0.0.1.

Options:
  --fixture NAME   one of: ${FIXTURE_NAMES.join(', ')} (default: healthy)
  --size SIZE      default | large (300 permission sets, 800 objects, 60,000 field permissions)
  --port N         port to listen on (default: a free port)
  --help           show this help`;

function fail(message: string): never {
  process.stderr.write(`sync-doctor-org-simulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { fixture?: string; size?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { fixture: { type: 'string' }, size: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const fixture = values.fixture ?? 'healthy';
  if (!isFixtureName(fixture)) fail(`unknown fixture '${fixture}'`);
  const size = values.size ?? 'default';
  if (size !== 'default' && size !== 'large') fail(`unknown size '${size}'`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port '${values.port}'`);

  const sim = await startOrgSimulator({ fixture, size, port });
  process.stdout.write(
    [
      `Org simulator: fixture ${fixture} (${size}) - ${describeFixture(fixture)}`,
      `URL:           ${sim.url}`,
      `Access token:  ${sim.accessToken}`,
      `Admin:         ${sim.adminUser.Username}`,
      `Integration:   ${sim.integrationUser.Username} (${sim.integrationUser.Id})`,
      `Try:           curl -H "Authorization: Bearer ${sim.accessToken}" "${sim.url}/services/data/v64.0/limits"`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((error: unknown) => {
  process.stderr.write(`sync-doctor-org-simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
