import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The application is served under /app/ by the local runtime, and on AWS from S3 under the same path beside
// the API, so every asset URL carries that base and the API stays on the same origin.
export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps stay out of the shipped folder: the board's budget is for code that runs.
    sourcemap: false,
  },
});
