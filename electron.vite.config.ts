import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// One build for everything: main (+ the simulation worker), preload, and the renderer, which the
// Electron window loads from out/renderer and the web host serves from the same folder.
const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The simulation worker is its own entry: createSimWorker() starts the sibling
        // out/main/sim.worker.js of the bundle (toolchain.md §5).
        input: {
          index: resolve(root, 'main/app/index.ts'),
          'sim.worker': resolve(root, 'main/services/worker/sim.worker.ts'),
          'analysis.worker': resolve(root, 'main/services/worker/analysis.worker.ts'),
        },
        // The policy sandbox loads its wasm beside its package, esbuild runs its native binary, and
        // TypeScript (a dev dependency, for check-policy's type check) must never be inlined.
        external: [
          'better-sqlite3',
          'electron',
          'quickjs-emscripten-core',
          '@jitl/quickjs-wasmfile-release-sync',
          'esbuild',
          'typescript',
        ],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'main/preload/index.ts') },
        // Sandboxed preloads cannot load ES modules; emit CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
      chunkSizeWarningLimit: 1500,
    },
  },
})
