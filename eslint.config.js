// Flat ESLint config. The per-folder `no-restricted-imports` blocks below enforce the layers of
// DESIGN.md §1, so a wrong-way import fails `npm run lint` (scripts/check-layers.sh re-checks the
// same rules with grep as a second line of defence).
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import noCrossFeature from './scripts/eslint-rules/no-cross-feature.js'

const electronOnly = {
  group: ['electron', 'electron/*'],
  message:
    'Only main/app and main/preload import electron; everything else must run under plain Node.',
}
const up = (name) => [`**/${name}`, `**/${name}/**`, `${name}/**`]

/**
 * no-restricted-imports sees only static imports and `export … from`; these selectors refuse the
 * same layers through `import('…')` and `require('…')`. esquery regexes cannot contain a slash, so
 * \u002F stands for one.
 */
const folderPattern = (names) => `/(^|\\u002F)(${names.join('|')})(\\u002F|$)/`
const packagePattern = (names) => `/^(${names.join('|')})(\\u002F|:|$)/`
const dynamicImportBan = (pattern, message) => [
  { selector: `ImportExpression[source.value=${pattern}]`, message },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${pattern}]`, message },
]
const shellRule = {
  selector: "MemberExpression[object.name='shell'][property.name='openExternal']",
  message: 'Open external links only through main/app/external-links.ts, which checks them.',
}

/** Imports main/engine may not make (electron, UI, the layers above it). */
const enginePatterns = [
  electronOnly,
  {
    group: ['better-sqlite3', 'vue', 'pinia'],
    message: 'main/engine is pure: no database or UI.',
  },
  {
    group: [
      ...up('store'),
      ...up('services'),
      ...up('host'),
      ...up('app'),
      ...up('cli'),
      ...up('renderer'),
    ],
    message: 'main/engine imports only shared/ and itself.',
  },
]

export default defineConfig(
  {
    ignores: [
      'out/**',
      'dist-web/**',
      'release/**',
      'test-results/**',
      'playwright-report/**',
      'resources/schemas/**',
      // The unminified bundle bench/profile-reference.ts tells how to build for line profiles.
      'bench/.ref.mjs',
      'node_modules/**',
    ],
  },
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      // Unused values are bugs; a leading underscore marks the deliberate ones.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // One checked helper opens external links (main/app/external-links.ts).
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/external-links.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='shell'][property.name='openExternal']",
          message:
            'Open external links only through main/app/external-links.ts, which checks them.',
        },
      ],
    },
  },
  // shared/: data shapes and the API contract; runs anywhere.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronOnly,
            {
              group: ['better-sqlite3', 'vue', 'pinia', 'echarts', 'vue-echarts', 'node:*'],
              message: 'shared/ holds data shapes only: no UI, database or Node imports.',
            },
            {
              group: [...up('main'), ...up('renderer')],
              message: 'shared/ must not import main/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...dynamicImportBan(
          folderPattern(['main', 'renderer']),
          'shared/ must not import main/ or renderer/.',
        ),
        ...dynamicImportBan(
          packagePattern([
            'electron',
            'better-sqlite3',
            'vue',
            'pinia',
            'echarts',
            'vue-echarts',
            'node',
          ]),
          'shared/ holds data shapes only: no UI, database or Node imports.',
        ),
      ],
    },
  },
  // main/engine: pure, deterministic TypeScript.
  {
    files: ['main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: enginePatterns }],
      'no-restricted-syntax': [
        'error',
        ...dynamicImportBan(
          folderPattern(['store', 'services', 'host', 'app', 'cli', 'renderer']),
          'main/engine imports only shared/ and itself.',
        ),
        ...dynamicImportBan(
          packagePattern(['electron', 'better-sqlite3', 'vue', 'pinia']),
          'main/engine is pure: no Electron, database or UI.',
        ),
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The engine is deterministic: use the seeded RNG.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The engine uses simulated time only.',
        },
        {
          selector: "NewExpression[callee.name='Date']",
          message: 'The engine uses simulated time only.',
        },
        {
          selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
          message: 'The engine uses simulated time only.',
        },
        {
          selector: "MemberExpression[object.name='shell'][property.name='openExternal']",
          message: 'Open external links only through main/app/external-links.ts.',
        },
      ],
    },
  },
  // main/store: SQL lives here and nowhere else; no knowledge of hosts or UI.
  {
    files: ['main/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronOnly,
            {
              group: [
                ...up('services'),
                ...up('host'),
                ...up('app'),
                ...up('cli'),
                ...up('renderer'),
              ],
              message: 'main/store is below services and hosts.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        shellRule,
        ...dynamicImportBan(
          folderPattern(['services', 'host', 'app', 'cli', 'renderer']),
          'main/store is below services and hosts.',
        ),
        ...dynamicImportBan(packagePattern(['electron']), electronOnly.message),
      ],
    },
  },
  // main/engine/sim: the mechanisms speak the policy vocabulary; they neither know the policies
  // nor the metrics (the run function at the engine root wires them together).
  {
    files: ['main/engine/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...enginePatterns,
            {
              group: ['**/policies/**', '**/metrics/**', '**/engine/run', '../run', '../../run'],
              message: 'sim/ speaks main/engine/vocabulary; policies and metrics sit above it.',
            },
          ],
        },
      ],
    },
  },
  // main/services: implement the API on engine + store; know nothing of the transport.
  {
    files: ['main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronOnly,
            { group: ['better-sqlite3'], message: 'Only main/store talks to SQLite.' },
            {
              group: [...up('host'), ...up('app'), ...up('cli'), ...up('renderer')],
              message: 'main/services must not know its hosts.',
            },
            {
              group: ['**/engine/**'],
              message:
                "Use the engine through its public face: import from 'main/engine' (index.ts).",
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        shellRule,
        ...dynamicImportBan(
          folderPattern(['host', 'app', 'cli', 'renderer']),
          'main/services must not know its hosts.',
        ),
        ...dynamicImportBan(packagePattern(['electron']), electronOnly.message),
        ...dynamicImportBan(packagePattern(['better-sqlite3']), 'Only main/store talks to SQLite.'),
      ],
    },
  },
  // main/host and main/cli: adapters over services.
  {
    files: ['main/host/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronOnly,
            { group: ['better-sqlite3'], message: 'Only main/store talks to SQLite.' },
            {
              group: [...up('app'), ...up('renderer')],
              message: 'Hosts adapt services; they do not import the app or renderer.',
            },
            {
              group: ['**/engine/**'],
              message:
                "Use the engine through its public face: import from 'main/engine' (index.ts).",
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        shellRule,
        ...dynamicImportBan(
          folderPattern(['app', 'renderer']),
          'Hosts adapt services; they do not import the app or renderer.',
        ),
        ...dynamicImportBan(packagePattern(['electron']), electronOnly.message),
        ...dynamicImportBan(packagePattern(['better-sqlite3']), 'Only main/store talks to SQLite.'),
      ],
    },
  },
  // renderer/: the UI reaches main only through the typed API in shared/api.
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronOnly,
            {
              group: ['better-sqlite3', 'node:*', 'fs', 'path', 'child_process', 'worker_threads'],
              message: 'The renderer runs in Chromium; it has no Node APIs.',
            },
            {
              group: up('main'),
              message: 'The renderer reaches main only through the typed API in shared/api.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...dynamicImportBan(
          folderPattern(['main']),
          'The renderer reaches main only through the typed API in shared/api.',
        ),
        ...dynamicImportBan(
          packagePattern([
            'electron',
            'better-sqlite3',
            'node',
            'fs',
            'path',
            'child_process',
            'worker_threads',
          ]),
          'The renderer runs in Chromium; it has no Node APIs.',
        ),
      ],
    },
  },
  // renderer/src/features/*: one feature never imports another (shared code lives in lib/).
  {
    files: ['renderer/src/**/*.{ts,vue}'],
    plugins: { tierlab: { rules: { 'no-cross-feature': noCrossFeature } } },
    rules: { 'tierlab/no-cross-feature': 'error' },
  },
  prettier,
)
