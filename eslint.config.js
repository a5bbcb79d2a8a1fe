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
    // The renderer is a sandboxed web page: it reaches the core through the API contract (types only), plus the
    // pure typed-array mask tools of src/editing, shared so `brainseg bench` times the same code.
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The page has no Electron: use the API (window.brainseg / WebSocket).' }],
        patterns: [
          { group: ['node:*'], message: 'The page has no Node: use the API.' },
          { group: ['**/src/**', '!**/src/api/contract.js', '!**/src/catalog/patients.js', '!**/src/trainer/protocol.js', '!**/src/editing', '!**/src/editing/*'], message: 'Import core types only, through the API contract.', allowTypeImports: true },
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
);
