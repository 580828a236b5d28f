/** The proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, each in both cases) the proxy tests set. */
const PROXY_VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];

/**
 * Clears the proxy settings before each test of the file (one a test sets does not reach the
 * next) and puts back after it what the environment held when the file was loaded.
 */
export function clearProxyVarsForEachTest(): void {
  const saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
  beforeEach(() => {
    for (const name of PROXY_VARS) delete process.env[name];
  });
  afterEach(() => {
    for (const name of PROXY_VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
}
