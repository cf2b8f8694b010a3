// ESLint (flat config): a modest rule set aimed at real bugs, not style (prettier owns layout). Type-aware, so
// the promise rules see which calls return promises: an un-awaited promise in a test ends the test before its
// assertion runs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/.build/**',
      'bench/results/**',
      'test/world/scratch/**',
      '.portico/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // One program over everything (tsconfig.typecheck.json): far quicker than a program per folder.
    languageOptions: { parserOptions: { project: './tsconfig.typecheck.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Bugs.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
      // A handle declared first so that closures built before it can reach it (timers, the elector) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Not bugs: tests read untyped JSON (Envoy configs, API responses) through `any` on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
