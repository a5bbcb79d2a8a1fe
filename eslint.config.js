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
    { name: '@tensorflow/tfjs', message: 'Use `tf` from src/ml/tf.ts (an ES import of tfjs costs ~0.45 s more CPU).' },
  ],
  patterns: [
    { group: ['electron/*', 'react-dom/*', 'konva/*'], message: 'src/ imports no Electron and no DOM code.' },
    { group: ['**/electron/**', '**/renderer/**'], message: 'src/ must not reach into the shell or the UI.' },
  ],
};

/**
 * The core's layers: what each part of src/ may import from the others (its own files always). Parts are folders,
 * and home.ts. Nothing may import upward, so the graph has no cycles; the architecture test checks the real import
 * graph against this table.
 */
export const CORE_LAYERS = {
  // The contract is the vocabulary every part shares: the types that cross to the UI by domain, the command table,
  // the wire format and the training presets' names. It is the floor: it imports nothing but zod.
  contract: [],
  // The pure typed-array editor, shared with the renderer: it takes its tools' and operations' names from the contract.
  editing: ['contract'],
  util: [],
  imaging: ['util'],
  ml: ['contract', 'imaging', 'util'],
  compute: ['contract', 'ml', 'imaging', 'util'],
  catalog: ['contract', 'editing', 'imaging', 'util'],
  // What runs beside the catalog's engines on its database server: the team's job queue (pg-boss).
  infrastructure: ['catalog', 'contract'],
  review: ['contract', 'editing'],
  importer: ['catalog', 'contract', 'editing', 'imaging', 'util'],
  exporter: ['catalog', 'contract', 'importer', 'imaging', 'util'],
  home: [],
  bundled: ['catalog', 'home', 'ml', 'util'],
  services: ['bundled', 'catalog', 'contract', 'editing', 'exporter', 'home', 'imaging', 'importer', 'infrastructure', 'ml', 'compute', 'review', 'util'],
  // `brainseg serve` and the composition root (handlers.ts) that binds the contract to the services; Electron's main
  // process imports the same composition root from here.
  server: ['bundled', 'catalog', 'contract', 'home', 'infrastructure', 'services', 'util'],
  bench: ['bundled', 'catalog', 'contract', 'editing', 'exporter', 'home', 'imaging', 'importer', 'ml', 'services', 'util'],
  cli: ['bench', 'bundled', 'catalog', 'contract', 'editing', 'exporter', 'home', 'imaging', 'importer', 'infrastructure', 'ml', 'review', 'server', 'services', 'compute', 'util'],
};

/** The part of src/ a file (path relative to src/, with / separators) belongs to. */
export function coreLayerOf(file) {
  if (file === 'home.ts') return 'home';
  return file.split('/')[0];
}

/** Import specifiers that reach a layer (as other parts write them: '../ml/x.js', '../../contract/index.js'). */
function layerImportPatterns(layer) {
  if (layer === 'home') return ['**/home.js'];
  return [`**/${layer}/*`, `**/${layer}/**`];
}

/** One lint block per layer, forbidding imports of every layer it may not use (plus Electron, React and the UI). */
function layerRules() {
  return Object.entries(CORE_LAYERS).map(([layer, allowed]) => {
    const files = layer === 'home' ? ['src/home.ts'] : [`src/${layer}/**/*.ts`];
    const forbidden = Object.keys(CORE_LAYERS).filter((other) => other !== layer && !allowed.includes(other));
    return {
      files,
      rules: {
        'no-restricted-imports': ['error', {
          ...CORE_FORBIDDEN_IMPORTS,
          patterns: [
            ...CORE_FORBIDDEN_IMPORTS.patterns,
            ...(forbidden.length ? [{ group: forbidden.flatMap(layerImportPatterns), message: `src/${layer} may import only ${allowed.join(', ') || 'its own files'} (the layer table in eslint.config.js).` }] : []),
            // The floor: the renderer and the server both import it, so it takes nothing but zod (no Node, no package).
            ...(layer === 'contract' ? [{ regex: '^(?!zod$|\\./)', message: 'src/contract imports nothing but zod and its own files.' }] : []),
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
    // The renderer is a sandboxed web page: of the core it imports only the API contract of src/contract (its types,
    // the command table, the wire format) and the pure typed-array editor of src/editing, shared so `brainseg bench`
    // and the unit tests run the same code. Not even a type comes from elsewhere.
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The page has no Electron: use the API (window.brainseg / WebSocket).' }],
        patterns: [
          { group: ['node:*'], message: 'The page has no Node: use the API.' },
          { regex: '/src/(?!contract/|editing/)', message: 'The page imports only the API contract (src/contract) and src/editing.' },
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
