import { describe, expect, it } from 'vitest'
import { checkRunnable, type ResolvedExperiment } from '../../../../../../main/engine'
import { SimulationInputError } from '../../../../../../main/engine/sim/errors'
import { experiment, singleRegion, socketPlusCxl } from '../../sim/fixtures'

/** pghot's bad input is refused by preflight, before a run starts or is archived. */
const exp = (params: Record<string, unknown>): ResolvedExperiment =>
  experiment(socketPlusCxl(1 / 8, 1 / 2), singleRegion(1 / 4, { kind: 'uniform' }), 'pghot', params)

function refusal(params: Record<string, unknown>): string {
  try {
    checkRunnable(exp(params))
  } catch (e) {
    expect(e).toBeInstanceOf(SimulationInputError)
    return (e as Error).message
  }
  throw new Error(`accepted ${JSON.stringify(params)}`)
}

describe('pghot refuses bad knobs with one sentence naming the knob and the fix', () => {
  it('accepts the defaults and every source', () => {
    expect(() => checkRunnable(exp({}))).not.toThrow()
    expect(() =>
      checkRunnable(exp({ sources: ['hint-faults', 'ibs', 'pebs', 'pte-scan', 'chmu'] })),
    ).not.toThrow()
  })

  it('an unknown source name', () => {
    const m = refusal({ sources: ['ibs', 'pmu'] })
    expect(m).toContain('knob "sources.1"')
    expect(m).toContain('"pmu"')
    expect(m).toContain('"hint-faults", "ibs", "pebs", "pte-scan", "chmu"')
  })

  it('a target node that is not a memory node, or not in the top tier', () => {
    const missing = refusal({ targetNode: 7 })
    expect(missing).toMatch(/knob "targetNode" is 7, not a top-tier memory node.*use one of 0/)
    const cxl = refusal({ targetNode: 1 })
    expect(cxl).toMatch(/node 1 \(c0\) is in tier \d+, not the top tier; use one of 0/)
  })

  it('targetNode missing with a fixed target on a machine with no top-tier memory to default to', () => {
    const e = exp({})
    const s0 = e.topology.components[0] as { memory?: { capacityGiB: number } }
    s0.memory!.capacityGiB = 0
    e.workload.regions[0].sizeGiB = 1 / 16
    expect(() => checkRunnable(e)).toThrow(
      /knob "targetNode" is missing and cannot be defaulted.*no top-tier memory node/,
    )
  })

  it('a precise-only knob in compact mode', () => {
    expect(refusal({ target: 'accessor', sources: ['ibs'] })).toMatch(
      /knob "target" 'accessor' needs mode 'precise'.*set mode: 'precise' or target: 'fixed'/,
    )
    expect(refusal({ freqThreshold: 5 })).toMatch(/knob "freqThreshold" 5 needs mode 'precise'/)
    expect(refusal({ windowMs: 10_000 })).toMatch(/knob "windowMs" 10000 needs mode 'precise'/)
    expect(() =>
      checkRunnable(exp({ mode: 'precise', freqThreshold: 5, windowMs: 10_000 })),
    ).not.toThrow()
  })

  it("an 'accessor' target fed only by sources that report no accessing node", () => {
    const m = refusal({ mode: 'precise', target: 'accessor', sources: ['pte-scan', 'chmu'] })
    expect(m).toContain('knob "target"')
    expect(m).toContain('pte-scan, chmu report none')
    expect(m).toContain('add one of hint-faults, ibs, pebs to sources')
    expect(() =>
      checkRunnable(exp({ mode: 'precise', target: 'accessor', sources: ['pte-scan', 'ibs'] })),
    ).not.toThrow()
  })
})
