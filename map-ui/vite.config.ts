/**
 * Vite config of the map. `npm run build -w map-ui` → map-ui/dist (served by `oracle serve` at `/`);
 * `npm run dev -w map-ui` proxies /api to a running oracle (HEXIUM_API, default http://127.0.0.1:8080).
 * MapLibre's worker is imported with `?url` in src/main.ts (specs/map-ui.md §2), so the build emits it as
 * a same-origin asset and the strict CSP (worker-src 'self', no blob:) holds.
 */
import { defineConfig } from 'vite';

const api = process.env.HEXIUM_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The land GeoJSON (≈ 1 MB) must stay a file, never be inlined as a data: URL.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, changeOrigin: true } },
  },
  preview: { host: '127.0.0.1' },
});
