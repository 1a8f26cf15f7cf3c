import { defineConfig } from '@playwright/test'

// E2E in Debian's Chromium against the web host (toolchain.md §3): never `playwright install`.
// global-setup builds the renderer when needed and starts `tierlab serve` on a temporary database.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]

export default defineConfig({
  testDir: 'test/e2e',
  // A subfolder: Playwright empties its outputDir, and scripts/test.mjs keeps other results beside it.
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/global-setup.ts',
  // The machines have 2 cores shared with the host under test.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // scripts/test.mjs sets PLAYWRIGHT_JSON_OUTPUT_NAME, which the json reporter writes to.
  reporter: [['list'], ['json']],
  use: {
    headless: true,
    viewport: { width: 1360, height: 900 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'off',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
})
