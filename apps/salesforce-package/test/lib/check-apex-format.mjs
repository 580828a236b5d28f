// Prints, as JSON, which of the given Apex files prettier-plugin-apex would reformat. Run as a
// child process because prettier and the plugin are ES modules (jest runs the tests as CommonJS).
// The plugin's default parser ("native") runs the prebuilt native executable: no Java server.
import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';

const files = process.argv.slice(2);
const unformatted = [];
for (const file of files) {
  const config = (await prettier.resolveConfig(file)) ?? {};
  const source = readFileSync(file, 'utf8');
  const formatted = await prettier.check(source, {
    ...config,
    filepath: file,
    parser: 'apex',
    plugins: [apexPlugin],
    apexStandaloneParser: 'native',
  });
  if (!formatted) unformatted.push(file);
}
process.stdout.write(JSON.stringify({ checked: files.length, unformatted }));
