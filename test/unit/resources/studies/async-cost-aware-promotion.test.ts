import { expect, it, vi } from 'vitest'
import { failedClaims, runStudyInProcess, STUDY_TEST_SCALE } from './run-study'

// resources/studies/async-cost-aware-promotion: every claim of its stated conclusion, at 1/128 of its memory.
vi.setConfig({ testTimeout: 180_000 })

it('async-cost-aware-promotion: every claim of the conclusion holds on the engine', async () => {
  const { results, claims } = await runStudyInProcess(
    'async-cost-aware-promotion',
    STUDY_TEST_SCALE,
  )
  expect(claims.length).toBeGreaterThan(0)
  expect([...results.values()].every((r) => r.summary !== null)).toBe(true)
  expect(failedClaims(claims)).toEqual([])
})
