// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// src/ is the core that the CLI, `brainseg serve` and the Electron app all share: it must run in plain Node.
const CORE_FORBIDDEN_IMPORTS = {
  paths: [
    { name: 'electron', message: 'src/ is the Electron-free core: put Electron code in electron/.' },
    { name: 'react', message: 'src/ has no UI: put React code in renderer/.' },
    { name: 'react-dom', message: 'src/ has no UI: put React code in renderer/.' },
    { name: 'konva', message: 'src/ has no UI: put drawing code in renderer/.' },
    { name: 'react-konva', message: 'src/ has no UI: put drawing code in renderer/.' },
  ],
  patterns: [
    { group: ['electron/*', 'react-dom/*', 'konva/*'], message: 'src/ imports no Electron and no DOM code.' },
    { group: ['**/electron/**', '**/renderer/**'], message: 'src/ must not reach into the shell or the UI.' },
  ],
};

/**
 * The core's layers: what each part of src/ may import from the others (its own files always). Parts are folders,
 * except that the API contract (contract, commands, wire: what crosses to the UI) is apart from the handlers that
 * bind it to the services. Nothing may import upward, so the graph has no cycles; the architecture test checks the
 * real import graph against this table.
 */
export const CORE_LAYERS = {
  // The contract is the vocabulary every part shares: the types that cross to the UI, the command table, the wire
  // format and the training presets' names. It sits at the bottom, beside the pure editor.
  editing: [],
  contract: ['editing'],
  util: [],
  imaging: ['util'],
  ml: ['contract', 'imaging', 'util'],
  trainer: ['contract', 'ml', 'imaging', 'util'],
  catalog: ['contract', 'editing', 'imaging', 'util'],
  review: ['contract', 'editing'],
  importer: ['catalog', 'contract', 'editing', 'imaging', 'util'],
  exporter: ['catalog', 'contract', 'importer', 'imaging', 'util'],
  home: [],
  bundled: ['catalog', 'home', 'ml', 'util'],
  services: ['bundled', 'catalog', 'contract', 'editing', 'exporter', 'home', 'imaging', 'importer', 'ml', 'review', 'trainer', 'util'],
  api: ['contract', 'catalog', 'home', 'services'],
  server: ['api', 'bundled', 'catalog', 'contract', 'home', 'util'],
  bench: ['bundled', 'catalog', 'contract', 'editing', 'exporter', 'home', 'imaging', 'importer', 'ml', 'services', 'util'],
  cli: ['api', 'bench', 'bundled', 'catalog', 'contract', 'editing', 'exporter', 'home', 'imaging', 'importer', 'ml', 'review', 'server', 'services', 'trainer', 'util'],
};

/** The part of src/ a file (path relative to src/, with / separators) belongs to. */
export function coreLayerOf(file) {
  if (/^api\/(contract|commands|wire|training-presets)\.ts$/.test(file)) return 'contract';
  if (file === 'home.ts') return 'home';
  return file.split('/')[0];
}

/** Import specifiers that reach a layer (as other parts write them: '../ml/x.js', '../../api/contract.js'). */
function layerImportPatterns(layer) {
  if (layer === 'contract') return ['**/api/contract.js', '**/api/commands.js', '**/api/wire.js', '**/api/training-presets.js'];
  if (layer === 'api') return ['**/api/handlers.js'];
  if (layer === 'home') return ['**/home.js'];
  return [`**/${layer}/*`, `**/${layer}/**`];
}

/** One lint block per layer, forbidding imports of every layer it may not use (plus Electron, React and the UI). */
function layerRules() {
  return Object.entries(CORE_LAYERS).map(([layer, allowed]) => {
    const files = layer === 'contract' ? ['src/api/contract.ts', 'src/api/commands.ts', 'src/api/wire.ts', 'src/api/training-presets.ts']
      : layer === 'api' ? ['src/api/handlers.ts'] : layer === 'home' ? ['src/home.ts'] : [`src/${layer}/**/*.ts`];
    const forbidden = Object.keys(CORE_LAYERS).filter((other) => other !== layer && !allowed.includes(other));
    return {
      files,
      rules: {
        'no-restricted-imports': ['error', {
          ...CORE_FORBIDDEN_IMPORTS,
          patterns: [
            ...CORE_FORBIDDEN_IMPORTS.patterns,
            ...(forbidden.length ? [{ group: forbidden.flatMap(layerImportPatterns), message: `src/${layer} may import only ${allowed.join(', ') || 'its own files'} (the layer table in eslint.config.js).` }] : []),
          ],
        }],
      },
    };
  });
}

// DOM globals that would compile under a DOM lib but break the core under Node.
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'HTMLElement', 'HTMLCanvasElement'].map(
  (name) => ({ name, message: 'src/ runs in Node: no DOM globals.' }),
);

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-artifacts/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The renderer is a sandboxed web page: of the core it imports only the API contract (its types, the command
    // table, the wire format) and the pure typed-array editor of src/editing, shared so `brainseg bench` and the
    // unit tests run the same code. Not even a type comes from elsewhere.
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The page has no Electron: use the API (window.brainseg / WebSocket).' }],
        patterns: [
          { group: ['node:*'], message: 'The page has no Node: use the API.' },
          { regex: '/src/(?!api/(contract|commands|wire)\\.js$|editing/)', message: 'The page imports only the API contract (src/api/contract, commands, wire) and src/editing.' },
        ],
      }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', CORE_FORBIDDEN_IMPORTS],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  ...layerRules(),
  {
    // The catalog is asynchronous (it may be a PostgreSQL server): a catalog call without `await` is a bug that
    // compiles — a save nobody waits for, a Promise tested as if it were a row. These rules read the types to catch it.
    files: ['src/**/*.ts', 'electron/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
