// Lint rules, including the architecture rule: outside a module, import only its index.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const crossModule = {
  group: ['**/modules/*/*', '!**/modules/*/index.ts'],
  message: 'Import another module only through its index.ts (docs/architecture.md).',
};

// All HTTP lives in web/ (ADR 0018): a module imports no HTTP framework, no page or API code
// and no OpenID provider code; what it needs from below comes from kernel/ or shared/.
const httpOutOfModules = {
  group: ['fastify', '@fastify/*', 'hono', 'hono/*', '**/web/**', '**/oidc/**', '**/shared/http/**'],
  message:
    'A module imports no Fastify, Hono, web/, oidc/ or shared/http/ code: HTTP lives in web/ (ADR 0018).',
};

// An import (static, dynamic or re-export) whose path has a `dev/` segment: src/dev/.
const devPath = '/(^|\\x2F)dev\\x2F/';
const devImportSelectors = [
  'ImportDeclaration',
  'ImportExpression',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
].map((node) => ({
  selector: `${node}[source.value=${devPath}]`,
  message:
    'Only src/adapters/outside-systems.ts (outside production), src/dev/, tests, bench/ and scripts/ import the development fakes in src/dev/ (ADR 0020).',
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        URLSearchParams: 'readonly',
        getComputedStyle: 'readonly',
        document: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [crossModule] }],
    },
  },
  {
    // Inside a module, a sibling module is still only reachable through its index.ts.
    files: ['src/modules/**/*.ts', 'src/modules/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossModule,
            { regex: '^\\.\\./(?!\\.)[^/]+/(?!index\\.ts$)[^/]+$', message: crossModule.message },
            httpOutOfModules,
          ],
        },
      ],
    },
  },
  {
    // A subject-data declaration is a leaf: it imports only the contract, so the inventory
    // can gather every one without importing a service (no import cycle; ADR 0014).
    files: ['src/**/*.data.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(\\.\\./)+(kernel/)?subject-data\\.ts$)',
              message: 'A *.data.ts file imports only src/kernel/subject-data.ts (ADR 0014).',
            },
          ],
        },
      ],
    },
  },
  {
    // Small progressive-enhancement scripts served as they are to browsers (no bundler).
    files: ['src/web/static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', navigator: 'readonly', atob: 'readonly', btoa: 'readonly' },
    },
  },
  {
    // The kernel sits below every module (docs/architecture.md): it imports none of them.
    // Its own tests may compose modules on top of it.
    files: ['src/kernel/**/*.ts'],
    ignores: ['src/kernel/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/modules/**',
                '**/web/**',
                '**/oidc/**',
                '**/shared/**',
                '**/adapters/**',
                'fastify',
                'hono',
              ],
              message:
                'The kernel imports nothing of Civitas outside src/kernel/ (no module, web/, oidc/, shared/ or adapter).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests beside a module may reach into it; integration tests use index.ts like anyone else.
    files: ['src/modules/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Development fakes stay out of production (ADR 0020): only the single wiring point
    // (src/adapters/outside-systems.ts, by a dynamic import() outside production), the
    // fakes themselves, tests, benchmarks and scripts import src/dev/.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: [
      'src/dev/**',
      'test/**',
      'bench/**',
      'scripts/**',
      '**/*.test.ts',
      '**/*.test.tsx',
      'src/adapters/outside-systems.ts',
    ],
    rules: {
      'no-restricted-syntax': ['error', ...devImportSelectors],
    },
  },
);
