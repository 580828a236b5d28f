/** The Node.js major the relay is built and tested on (the root package's engines, `>=24 <25`). */
const REQUIRED_NODE_MAJOR = 24;

/**
 * Why this Node cannot run the relay, or undefined when it can. Checked before anything else
 * (configuration, the data directory, a generated secret.key): an older Node has no `node:sqlite`
 * and would otherwise fail half-way with a stack trace, leaving a new key file behind. The system
 * Node of many hosts is older than the one `npm ci` installs into node_modules, so the message
 * says where that one is.
 */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const major = Number(version.split('.')[0]);
  if (Number.isInteger(major) && major >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `sync-doctor-relay needs Node.js ${REQUIRED_NODE_MAJOR} or later; this is Node.js ${version}. ` +
    'Run it with the Node that `npm ci` installed (node_modules/node/bin/node, which npm scripts ' +
    'and npx use), or install Node.js 24 LTS.\n'
  );
}
