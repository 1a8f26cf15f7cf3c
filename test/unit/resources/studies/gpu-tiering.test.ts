import { expect, it, vi } from 'vitest'
import { failedClaims, runStudyInProcess } from './run-study'

// resources/studies/gpu-tiering: every claim of its stated conclusion, at 1/2 of its memory (2 MiB
// pages and a GPU's 132 threads: the examples' GPU scale, test/unit/resources/examples.test.ts).
vi.setConfig({ testTimeout: 180_000 })

it('gpu-tiering: every claim of the conclusion holds on the engine', async () => {
  const { results, claims } = await runStudyInProcess('gpu-tiering', 1 / 2)
  expect(claims.length).toBeGreaterThan(0)
  expect([...results.values()].every((r) => r.summary !== null)).toBe(true)
  expect(failedClaims(claims)).toEqual([])
})
