import { describe, expect, it } from 'vitest'
import { playwrightTotals, vitestTotals } from '../../../scripts/test-totals.mjs'

// Report shapes as Playwright 1.65 and Vitest 4.1 write them (trimmed to the fields read), taken
// from real runs of a throwing global setup, a spec that throws while loading and an unhandled error.
const pwStats = (expected: number, unexpected: number, skipped = 0) => ({
  startTime: '2026-12-05T20:27:27.820Z',
  duration: 30,
  expected,
  skipped,
  unexpected,
  flaky: 0,
})

describe('playwright totals', () => {
  it('counts a global setup that threw as a failure although no test ran', () => {
    const report = {
      suites: [],
      errors: [{ message: 'Error: setup broke', location: { file: 'setup.ts', line: 1 } }],
      stats: pwStats(0, 0),
    }
    expect(playwrightTotals(report, 1)).toEqual({ passed: 0, failed: 1, skipped: 0, ran: 0 })
  })

  it('adds load and teardown errors to failed tests', () => {
    const report = {
      errors: [{ message: 'Error: load broke' }, { message: 'Error: teardown broke' }],
      stats: pwStats(5, 1, 2),
    }
    expect(playwrightTotals(report, 1)).toEqual({ passed: 5, failed: 3, skipped: 2, ran: 6 })
  })

  it('counts a runner that crashed (no report) or exited non-zero silently', () => {
    expect(playwrightTotals(null, 1).failed).toBe(1)
    expect(playwrightTotals({ errors: [], stats: pwStats(3, 0) }, 137).failed).toBe(1)
    expect(playwrightTotals({ errors: [], stats: pwStats(0, 0) }, 0).failed).toBe(1)
  })

  it('reports a clean run as it is', () => {
    expect(playwrightTotals({ errors: [], stats: pwStats(7, 0, 1) }, 0)).toEqual({
      passed: 7,
      failed: 0,
      skipped: 1,
      ran: 7,
    })
  })
})

describe('vitest totals', () => {
  const base = {
    numTotalTests: 2,
    numPassedTests: 2,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    success: true,
    testResults: [{ name: '/a.test.ts', status: 'passed', assertionResults: [] }],
  }

  it('counts a test file that failed to load', () => {
    const report = {
      ...base,
      success: false,
      testResults: [
        ...base.testResults,
        { name: '/b.test.ts', status: 'failed', message: 'load broke', assertionResults: [] },
      ],
    }
    expect(vitestTotals(report, 1)).toMatchObject({ passed: 2, failed: 1 })
  })

  it('counts failed tests once, not again as a failed file', () => {
    const report = {
      ...base,
      numPassedTests: 1,
      numFailedTests: 1,
      success: false,
      testResults: [
        { name: '/a.test.ts', status: 'failed', assertionResults: [{ status: 'failed' }] },
      ],
    }
    expect(vitestTotals(report, 1)).toMatchObject({ passed: 1, failed: 1 })
  })

  it('counts an unhandled error, a crash and an empty run', () => {
    expect(vitestTotals({ ...base, success: false }, 1).failed).toBe(1)
    expect(vitestTotals(null, 1).failed).toBe(1)
    expect(vitestTotals({ ...base, numTotalTests: 0, numPassedTests: 0 }, 0).failed).toBe(1)
    expect(vitestTotals(base, 0)).toEqual({ passed: 2, failed: 0, skipped: 0, ran: 2 })
  })
})
