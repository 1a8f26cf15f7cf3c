// Totals for scripts/test.mjs's closing line, from each runner's JSON report and exit code. Every
// way a runner can fail counts at least once, so a broken setup never reads `0 passed, 0 failed`:
// failed tests, test files that failed to load, Playwright's setup/teardown/load `errors`, errors
// outside any test (unhandled rejections), a runner that exited non-zero without saying why, and
// a missing report (the runner crashed).

/**
 * @typedef {{ passed: number, failed: number, skipped: number, ran: number }} Totals
 */

/**
 * @param {any} report Vitest's json reporter output, or null when the file was not written.
 * @param {number} exitCode
 * @returns {Totals}
 */
export function vitestTotals(report, exitCode) {
  if (!report) return { passed: 0, failed: 1, skipped: 0, ran: 0 }
  // A file that failed to load has status 'failed' and no test in it failed.
  const loadErrors = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length
  let failed = (report.numFailedTests ?? 0) + loadErrors
  const ran = report.numTotalTests ?? 0
  // success is false for unhandled errors too, which no count above shows; running no test at
  // all is a failure of the run as well.
  if (failed === 0 && (report.success === false || exitCode !== 0 || ran === 0)) failed = 1
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    ran,
  }
}

/**
 * @param {any} report Playwright's json reporter output, or null when the file was not written.
 * @param {number} exitCode
 * @returns {Totals}
 */
export function playwrightTotals(report, exitCode) {
  if (!report) return { passed: 0, failed: 1, skipped: 0, ran: 0 }
  const s = report.stats ?? {}
  // `errors`: global setup or teardown threw, a spec failed to load, a worker died outside a test.
  let failed = (s.unexpected ?? 0) + (report.errors ?? []).length
  const ran = (s.expected ?? 0) + (s.unexpected ?? 0) + (s.flaky ?? 0)
  if (failed === 0 && (exitCode !== 0 || ran === 0)) failed = 1
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed, skipped: s.skipped ?? 0, ran }
}
