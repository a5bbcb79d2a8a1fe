import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer is built once and served by both front doors: Electron's app:// protocol and `brainseg serve`.
// Relative asset paths ('./') work under either origin.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The CSP forbids inline scripts and styles: keep everything in files.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
});
