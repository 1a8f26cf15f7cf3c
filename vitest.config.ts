import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Node is the default environment; DOM tests opt in per file with
// `// @vitest-environment happy-dom` (toolchain.md §4: happy-dom needs no ResizeObserver stub).
export default defineConfig({
  plugins: [vue()],
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.ts'],
    // 2-core machines: one worker per core keeps SQLite and engine tests from starving each other.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
})
