import js from '@eslint/js';
import checkFile from 'eslint-plugin-check-file';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FEATURES = ['admin', 'auth', 'cart', 'catalog', 'checkout', 'notifications', 'orders'];

// The architecture, as lint rules (bulletproof-react's unidirectional flow):
//   shared code (components, lib, testing)  ->  features  ->  app
// A feature never imports another feature: pages that need two features are
// composed in src/app. Relative imports may only climb one level; anything
// further goes through the "@/" alias, so the rules below see every import.
const climbingImports = {
  group: ['../../*'],
  message: 'Import through the "@/" alias instead of climbing directories.',
};

const featureZones = FEATURES.map((feature) => ({
  files: [`src/features/${feature}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          climbingImports,
          {
            regex: `^@/features/(?!${feature}(/|$))`,
            message: `Features do not import each other: compose "${feature}" with other features in src/app.`,
          },
          {
            regex: `^\\.\\./(${FEATURES.join('|')})(/|$)`,
            message: 'Features do not import each other: compose features in src/app.',
          },
          { regex: '^@/app(/|$)', message: 'Features do not import from the app layer.' },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist', 'coverage', 'node_modules', 'src/lib/api-schema/*.d.ts'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.strict, jsxA11y.flatConfigs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
    },
    plugins: { 'react-hooks': reactHooks, 'check-file': checkFile },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'check-file/filename-naming-convention': [
        'error',
        { '**/*.{ts,tsx}': 'KEBAB_CASE' },
        { ignoreMiddleExtensions: true },
      ],
      'check-file/folder-naming-convention': ['error', { 'src/**/': 'KEBAB_CASE' }],
      'no-restricted-imports': ['error', { patterns: [climbingImports] }],
    },
  },
  ...featureZones,
  {
    files: ['src/components/**/*.{ts,tsx}', 'src/lib/**/*.{ts,tsx}', 'src/testing/**/*.{ts,tsx}'],
    ignores: ['src/testing/test-utils.tsx', 'src/testing/mocks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            climbingImports,
            { regex: '^@/(features|app)(/|$)', message: 'Shared code does not import features or the app.' },
          ],
        },
      ],
    },
  },
  {
    // In tests a missing element is a failure anyway: `cards[0]!` reads better than a guard.
    files: ['**/*.test.{ts,tsx}', 'src/testing/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', '*.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
