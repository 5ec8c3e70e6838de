/**
 * Vite build of Vigil's web dashboard (`src/web`) into `dist/web`, which the server
 * serves at `/`. Run with `npx vite build` (production) or `npx vite` (dev server,
 * proxying the API to a running Vigil on VIGIL_URL, default http://127.0.0.1:8080).
 */
import { defineConfig } from 'vite';

const target = process.env.VIGIL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'src/web',
  base: '/',
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One small app bundle: uPlot (~50 kB) is the only dependency.
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: {
      '/api/live': { target, ws: true },
      '/api': target,
      '/config': target,
      '/health': target,
    },
  },
});
