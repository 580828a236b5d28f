// One config for the whole repo. Each workspace lints its whole tree (`eslint .`: src, test, bench,
// scripts, bin, its config files); apps/salesforce-package also lints the LWC components in force-app/.
// Every file gets typescript-eslint's recommended rules (its parser also reads the LWC decorators);
// plain JS files also get ESLint's recommended rules, so an undefined name (no-undef) is an error:
// the blocks below say which globals each area really has.
import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Salesforce's LWC plugin (@lwc/eslint-plugin-lwc) is not installed, but the components name one of
// its rules where they start a timer on purpose (`eslint-disable-next-line @lwc/lwc/no-async-operation`,
// also read by Salesforce's Code Analyzer). This is that rule, so those comments stay checked and a
// new timer needs the same justification. Replace it with the real plugin once it accepts ESLint 10
// (@lwc/eslint-plugin-lwc 3.5 and @salesforce/eslint-config-lwc 4.1 still declare eslint ^9).
const ASYNC_OPERATIONS = new Set(['setTimeout', 'setInterval', 'requestAnimationFrame']);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self']);
const lwcStandIn = {
  rules: {
    'no-async-operation': {
      meta: {
        type: 'problem',
        docs: { description: 'Disallow timers in LWC components without a stated reason' },
        schema: [],
      },
      create(context) {
        const isGlobal = (node) => {
          let scope = context.sourceCode.getScope(node);
          for (; scope; scope = scope.upper) {
            if (scope.set.get(node.name)?.defs.length) return false;
          }
          return true;
        };
        return {
          CallExpression(node) {
            const { callee } = node;
            let name;
            if (callee.type === 'Identifier' && isGlobal(callee)) name = callee.name;
            else if (
              callee.type === 'MemberExpression' &&
              callee.object.type === 'Identifier' &&
              GLOBAL_OBJECTS.has(callee.object.name) &&
              !callee.computed
            ) {
              name = callee.property.name;
            }
            if (name && ASYNC_OPERATIONS.has(name)) {
              context.report({ node, message: `Restricted async operation "${name}".` });
            }
          },
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.turbo/**',
      'artifacts/**',
      // Build output of the preview's tests and its scratch space (apps/preview/.gitignore).
      'apps/preview/.test-build/**',
      'apps/preview/.scratch/**',
      // Generated and committed: esbuild's bundle of packages/core (see .prettierignore).
      'force-app/main/default/lwc/syncDoctorCore/**',
    ],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...js.configs.recommended,
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // ESLint 10's recommended set has these, but only the JS files above get it; TypeScript
      // files need them as much: an error rethrown in a catch keeps what caused it, and a value
      // that is always overwritten before it is read is noise or a bug.
      'preserve-caught-error': 'error',
      'no-useless-assignment': 'error',
      'no-unassigned-vars': 'error',
    },
  },
  // Node: everything outside the browser areas below (scripts, bench, bin, config files).
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  // CommonJS files: `require` is how they import.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Tests and their helpers run in jest.
  {
    files: [
      '**/test/**',
      '**/__tests__/**',
      'apps/salesforce-package/test-lwc/**',
      'force-app/test/**',
    ],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
  },
  // Browser code: the LWC components, the preview's browser shell and its stand-ins for the
  // lightning/* and @salesforce/* modules (bundled into the page), and the preview's sample component.
  {
    files: [
      'force-app/**/lwc/**/*.js',
      'apps/preview/src/browser/**/*.js',
      'apps/preview/src/standins/**/*.js',
      'apps/preview/test-fixtures/lwc/**/*.js',
    ],
    languageOptions: { globals: globals.browser },
  },
  // Code that reads text from outside: e-mails anyone can send to the notification mailbox or the
  // inbound address, HubSpot's sync-error exports, Salesforce's messages. A regular expression there
  // must run in linear time: five did not (6 Dec 2026), from 1 s to minutes of CPU (and blocked event
  // loop) for one e-mail or export line. Expressions over the project's own constants or a few
  // characters say why where they turn a rule off.
  {
    files: [
      'packages/core/src/**/*.ts',
      'apps/relay/src/inputs/**/*.ts',
      'apps/relay/src/domain/**/*.ts',
      'packages/hubspot-signals/src/mailbox/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  // The LWC components and their tests, with the two rules of Salesforce's LWC config they rely on.
  {
    files: ['force-app/**/lwc/**/*.js'],
    plugins: { '@lwc/lwc': lwcStandIn },
    rules: { '@lwc/lwc/no-async-operation': 'error', 'no-await-in-loop': 'error' },
  },
  {
    files: ['force-app/**/__tests__/**/*.js'],
    rules: { '@lwc/lwc/no-async-operation': 'off' },
  },
  // LWC component tests (sfdx-lwc-jest, jsdom): they load their JSON test data with jest's require.
  // Their shared helpers and mocks (force-app/test: 'test-utils', lightning/*, Apex) run in jsdom too.
  {
    files: ['force-app/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': ['error', { allow: ['\\.json$'] }] },
  },
);
