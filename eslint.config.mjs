// Lint is part of `npm test`. Its most important rule is the module boundary (article 8): a service
// may import `@faultline/shared` and never another service, so no service can reach into another's
// entities or database by way of a shared import.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.faultline/**', '.nx/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:orders', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:billing', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:payment-provider', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:scenarios', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:chaos', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Infrastructure scripts and tools are plain Node ESM: they run before anything is installed.
    files: ['**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', fetch: 'readonly', URL: 'readonly' } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
);
