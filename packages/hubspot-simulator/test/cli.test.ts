import { parseCliArgs, USAGE } from '../src/cli.js';

describe('simulator command line', () => {
  it('parses scenario and port, and explains mistakes', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', scenario: 'healthy', port: 0 });
    expect(parseCliArgs(['--scenario', 'stalled', '--port=4010'])).toEqual({
      kind: 'run',
      scenario: 'stalled',
      port: 4010,
    });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--scenario', 'broken'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/healthy, stalled/),
    });
    expect(parseCliArgs(['--port', '70000'])).toMatchObject({ kind: 'error' });
    expect(parseCliArgs(['--verbose'])).toMatchObject({
      kind: 'error',
      message: 'unknown argument --verbose',
    });
  });

  it('--help fits a 100-column terminal', () => {
    expect(USAGE.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });
});
