// Lints the TypeScript workspaces; force-app has its own rules (Salesforce's LWC and Apex checks).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'force-app/**', '**/coverage/**', 'artifacts/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
