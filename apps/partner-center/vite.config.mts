// The Partner Center web app: built by `npm run build` into dist/partner-center, served by the API at
// /partner-center/. PARTNER_CENTER_OUT_DIR overrides the output folder (the browser tests build their own).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/partner-center/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir:
      process.env['PARTNER_CENTER_OUT_DIR'] ?? resolve(import.meta.dirname, '../../dist/partner-center'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
