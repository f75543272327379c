// Lint is part of `npm test`. Its most important rule is the module boundary (article 8): a service
// may import `@faultline/shared` and never another service, so no service can reach into another's
// entities or database by way of a shared import.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** The Nx rule with its tag constraints; `allow` names import paths exempt from it. */
const moduleBoundaries = (allow) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow,
    depConstraints: [
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:orders', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:billing', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:payment-provider', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:scenarios', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:chaos', onlyDependOnLibsWithTags: ['scope:shared'] },
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.faultline/**', '.nx/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries([]) },
  },
  {
    // Whole-system runs (scenarios, chaos, bench, the demo) get real tokens as a client does: from the
    // identity provider, through its client helpers. That one entry point of one app, and only here:
    // a service still imports no other service.
    files: ['scenarios/**/*.ts', 'chaos/**/*.ts', 'bench/**/*.ts', 'tools/**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(['@faultline/identity/testing']) },
  },
  {
    // The project reads and writes nothing outside its checkout (its ignored .faultline/ folder holds
    // logs, state and scratch files): a path that exists only on one machine passes there and fails
    // on every other. The one exception, PostgreSQL's socket folder for a checkout too deep for a
    // socket path, says so where it is.
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^\\/(tmp|home|work|root|Users)(\\/|$)/]',
          message: 'An absolute path outside the repository: use a folder under .faultline/ (workspaceRoot()).',
        },
        {
          selector: 'TemplateElement[value.raw=/^\\/(tmp|home|work|root|Users)(\\/|$)/]',
          message: 'An absolute path outside the repository: use a folder under .faultline/ (workspaceRoot()).',
        },
        {
          selector: 'CallExpression[callee.name="tmpdir"], CallExpression[callee.property.name="tmpdir"]',
          message: "The machine's temporary folder is outside the repository: use a folder under .faultline/tmp/.",
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
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
