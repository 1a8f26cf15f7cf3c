import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation, SimulationInputError } from '../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl } from './fixtures'

const topo = socketPlusCxl(1, 1)
const small = singleRegion(0.25, { kind: 'uniform' })

function errorOf(f: () => unknown): SimulationInputError {
  try {
    f()
  } catch (e) {
    if (e instanceof SimulationInputError) return e
    throw e
  }
  throw new Error('expected a SimulationInputError')
}

describe('experiment validation', () => {
  it('refuses an initiator that is not a socket or GPU of the topology', () => {
    const wl = singleRegion(0.25, { kind: 'uniform' }, { initiator: 'c0' })
    const e = errorOf(() => runSimulation(experiment(topo, wl, 'first-touch'), BUILTIN_POLICIES))
    expect(e.message).toMatch(/process "p0" runs on initiator "c0", which is not a socket or GPU/)
    expect(e.message).toMatch(/use one of s0/)
  })

  it('says how much memory is needed and how much there is', () => {
    // 3 GiB of regions on 1 + 1 GiB of memory.
    const e = errorOf(() =>
      runSimulation(
        experiment(topo, singleRegion(3, { kind: 'uniform' }), 'first-touch'),
        BUILTIN_POLICIES,
      ),
    )
    expect(e.message).toMatch(
      /needs 3\.0 GiB \(3221225472 bytes\).*has 2\.0 GiB \(2147483648 bytes\)/,
    )
  })

  it('names an unknown policy and the known ones', () => {
    const e = errorOf(() => runSimulation(experiment(topo, small, 'tpp-next'), BUILTIN_POLICIES))
    expect(e.message).toMatch(/unknown policy "tpp-next"; use one of first-touch, interleave/)
  })

  it('names a bad knob', () => {
    const e = errorOf(() =>
      runSimulation(
        experiment(topo, small, 'numa-balancing-tiering', { hotThresholdMs: -5 }),
        BUILTIN_POLICIES,
      ),
    )
    expect(e.message).toMatch(/knob "hotThresholdMs"/)
    const u = errorOf(() =>
      runSimulation(
        experiment(topo, small, 'numa-balancing-tiering', { hotTresholdMs: 5 }),
        BUILTIN_POLICIES,
      ),
    )
    expect(u.message).toMatch(/has no knob "hotTresholdMs"/)
  })

  it('refuses exact mode on an experiment too large for it', () => {
    // 2 threads at 1e7 ops/s × 1 access/op × 10 s = 1e8 accesses > 2e7.
    const e = errorOf(() =>
      runSimulation(
        experiment(
          topo,
          singleRegion(0.25, { kind: 'uniform' }, { computeNsPerOp: 100 }),
          'first-touch',
          {},
          { mode: 'exact', durationS: 10 },
        ),
        BUILTIN_POLICIES,
      ),
    )
    expect(e.message).toMatch(/exact mode would draw about 100,000,000 accesses/)
  })
})
