import { describe, expect, it } from 'vitest'
import { workerMessageSchema } from '../../../../../main/services/worker/messages'

const result = {
  summary: { throughputOpsPerS: 1 },
  processes: [],
  nodes: [],
  series: [],
  heatmap: null,
  cancelled: false,
}

describe('worker result messages', () => {
  it("keep the engine's warnings across the thread boundary (the schema used to strip them)", () => {
    const warnings = ['the closed loop did not converge in 4 epoch(s)']
    const m = workerMessageSchema.parse({
      type: 'result',
      runId: 3,
      result: { ...result, warnings },
    })
    expect(m.type === 'result' && m.result.warnings).toEqual(warnings)
    // A result without warnings (an older worker) still parses.
    const old = workerMessageSchema.parse({ type: 'result', runId: 3, result })
    expect(old.type === 'result' && old.result.warnings).toBeUndefined()
    // Warnings must be text.
    expect(
      workerMessageSchema.safeParse({
        type: 'result',
        runId: 3,
        result: { ...result, warnings: [1] },
      }).success,
    ).toBe(false)
  })
})
