import { defineConfig } from 'vite';

// Preact's automatic JSX runtime through Vite's own transform: no Babel plugin needed.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // No inline scripts or styles anywhere (a strict Content-Security-Policy must hold): the module
    // preload polyfill would be injected inline, and small assets would be inlined as data: URLs.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    reportCompressedSize: false,
  },
});
