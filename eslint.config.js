// @ts-check
/**
 * ESLint: the recommended JavaScript rules plus typescript-eslint's type-checked ones, on every .ts/.mjs/.js file.
 * .astro files are type-checked by `astro check` (npm run check), not linted here.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['node_modules/', 'dist/', 'site/', '.astro/', '.sync/', '.bench/', '.scratch/', 'content/']),
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // TypeScript already reports undefined names (in .mjs/.js too: they start with `// @ts-check`); this rule does not know Node's globals.
      'no-undef': 'off',
      // Matching control characters is deliberate here: stripping them from spreadsheet cells, and ANSI colour codes in tests.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // An aborted operation rejects with its AbortSignal's reason (typed `any`), as the platform's own APIs do.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // node:test's test(), it(), describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
    },
  },
  {
    // Scripts pasted into Airtable automations and Google Apps Script (docs/triggers.md): plain JavaScript run by those
    // hosts with their own globals, outside the TypeScript project (tests/triggers/ runs them with fakes of the globals).
    files: ['triggers/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { 'no-undef': 'error' },
  },
  {
    files: ['triggers/airtable-*.js'],
    languageOptions: { sourceType: 'module', globals: { input: 'readonly', output: 'readonly', fetch: 'readonly', console: 'readonly' } },
  },
  {
    files: ['triggers/apps-script-*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['UrlFetchApp', 'PropertiesService', 'CacheService', 'LockService', 'ScriptApp', 'SpreadsheetApp', 'console'].map((name) => [
          name,
          'readonly',
        ]),
      ),
    },
  },
);
