import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `npm run web:dev` sends everything outside /app/ to a running `npm start` (or another ledger API). */
const api = process.env.LEDGER_API_URL ?? 'http://127.0.0.1:3000';

// The application is served under /app/ by the local runtime, and on AWS from S3 under the same path beside
// the API, so every asset URL carries that base and the API stays on the same origin.
export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    proxy: {
      // The API and the local sign-in answer on the runtime's origin; the sign-in refuses requests from other
      // origins, so the proxy speaks for the runtime's own.
      '^/(?!app(/|$)).*': { target: api, changeOrigin: true, headers: { origin: api } },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps stay out of the shipped folder: the board's budget is for code that runs.
    sourcemap: false,
  },
});
