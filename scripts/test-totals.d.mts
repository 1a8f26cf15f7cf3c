/** Types of scripts/test-totals.mjs, for its unit test. */
export interface Totals {
  passed: number
  failed: number
  skipped: number
  ran: number
}
export function vitestTotals(report: unknown, exitCode: number): Totals
export function playwrightTotals(report: unknown, exitCode: number): Totals
