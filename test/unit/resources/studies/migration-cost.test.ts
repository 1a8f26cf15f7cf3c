import { expect, it, vi } from 'vitest'
import { failedClaims, runStudyInProcess } from './run-study'

// resources/studies/migration-cost: every claim of its stated conclusion, at 1/64 of its memory.
// Measured: at 1/128, engine 0.4.0 shows synchronous promotion ~3 % below first-touch, at 1/64
// ~10 % (engines 0.3.0 and 0.4.0 alike), so the claims are checked at 1/64.
vi.setConfig({ testTimeout: 180_000 })

it('migration-cost: every claim of the conclusion holds on the engine', async () => {
  const { results, claims } = await runStudyInProcess('migration-cost', 1 / 64)
  expect(claims.length).toBeGreaterThan(0)
  expect([...results.values()].every((r) => r.summary !== null)).toBe(true)
  expect(failedClaims(claims)).toEqual([])
})
