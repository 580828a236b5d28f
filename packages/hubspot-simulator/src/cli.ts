import { SCENARIO_NAMES, type ScenarioName } from './scenarios.js';

export const USAGE = `Usage: sync-doctor-hubspot-simulator [--scenario ${SCENARIO_NAMES.join('|')}] [--port N]

Serves a local HubSpot CRM API (POST /crm/v3/objects/{contacts,companies,deals}/search) on
127.0.0.1 and prints its URL and a private-app token. Default scenario: healthy; default port:
any free one.`;

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'run'; scenario: ScenarioName; port: number };

export function parseCliArgs(args: string[]): CliCommand {
  let scenario: ScenarioName = 'healthy';
  let port = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = inline ?? args[++i];
    if (flag === '--scenario') {
      if (!value || !(SCENARIO_NAMES as readonly string[]).includes(value))
        return { kind: 'error', message: `--scenario must be one of ${SCENARIO_NAMES.join(', ')}` };
      scenario = value as ScenarioName;
    } else if (flag === '--port') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        return { kind: 'error', message: '--port must be a number from 0 to 65535' };
      port = n;
    } else {
      return { kind: 'error', message: `unknown argument ${arg}` };
    }
  }
  return { kind: 'run', scenario, port };
}
