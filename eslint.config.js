// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The product (what the npm package ships) never imports the development-only folders: the
// OpenMetadata API test server, fault proxy, fixtures, benchmark and tests stay out of it.
const developmentOnly = {
  group: ['**/devstack/*', '**/devstack/**', '**/test/*', '**/test/**', '**/bench/*', '**/bench/**'],
  message: 'The product must not import development-only code (devstack/, test/, bench/).',
};

export default tseslint.config(
  { ignores: ['dist/', '.tools/', '.devstack/', 'node_modules/', 'test-artifacts/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] } },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['activities/**/*.ts', 'common/**/*.ts', 'worker/**/*.ts', 'client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [developmentOnly] }] },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: activities are imported as
    // types only, and Node built-ins (and anything doing I/O) are out of reach.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            developmentOnly,
            { group: ['node:*'], message: 'Workflow code must not use Node built-ins.' },
            {
              group: ['../activities', '../activities/*', '../activities/**'],
              allowTypeImports: true,
              message: 'Import activities in workflow code as types only (import type).',
            },
            {
              group: [
                '@aws-sdk/*',
                'got',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
              ],
              message: 'Workflow code does no I/O: this belongs in an activity.',
            },
          ],
          paths: [
            'fs',
            'path',
            'os',
            'http',
            'https',
            'net',
            'child_process',
            'crypto',
            'process',
            'url',
          ].map((name) => ({ name, message: 'Workflow code must not use Node built-ins.' })),
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
