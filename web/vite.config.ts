import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard's build (R-UX-1): the React app (index.html) and the passkey pages' script
 * (src/main.ts: enroll, recover, sign-in, SSO). Fixed entry names, because the server's pages name
 * /assets/app.js and /assets/ward.js; no inline script anywhere (the pages' CSP is script-src 'self').
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['chrome120', 'firefox120', 'safari17'],
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: {
      input: { app: 'index.html', ward: 'src/main.ts' },
      output: { entryFileNames: 'assets/[name].js', chunkFileNames: 'assets/[name]-[hash].js', assetFileNames: 'assets/[name][extname]' },
    },
  },
});
