import { defineConfig } from 'vitest/config'

// The tests `npm run test:mutation` (Stryker) runs against each mutant of the files in
// stryker.config.json: those that exercise the kernel formulas, the run lifecycle and the web
// host's Host/Origin/token checks directly. Kept small so every mutant runs in seconds.
export default defineConfig({
  test: {
    environment: 'node',
    include: [
      'test/unit/main/engine/kernel/numab-tiering.test.ts',
      'test/unit/main/engine/kernel/weighted-interleave.test.ts',
      'test/unit/main/engine/policies/interleave-planted.test.ts',
      'test/unit/main/store/runs.test.ts',
      'test/unit/main/host/web/web-host.test.ts',
      'test/unit/main/host/web/auth.test.ts',
    ],
    maxWorkers: 1,
    testTimeout: 30_000,
  },
})
