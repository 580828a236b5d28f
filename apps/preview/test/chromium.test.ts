import { launchChromium, MissingBrowserError } from '../src/e2e/chromium.js';

test('a missing Chromium fails with the apt-get command, never a silent skip', async () => {
  const launch = launchChromium({ executablePath: '/nonexistent/chromium' });
  await expect(launch).rejects.toBeInstanceOf(MissingBrowserError);
  await expect(launch).rejects.toThrow('apt-get install -y chromium');
});
