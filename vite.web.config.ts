import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The renderer alone, with the same settings as the renderer section of electron.vite.config.ts:
// the web host serves out/renderer, and the E2E tests build it with this file.
const root = import.meta.dirname

export default defineConfig({
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [vue()],
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(root, 'renderer/index.html') },
    chunkSizeWarningLimit: 1500,
  },
})
