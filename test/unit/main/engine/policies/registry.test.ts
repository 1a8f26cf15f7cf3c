import { describe, expect, it } from 'vitest'
import { listPolicies } from '../../../../../main/engine'
import { POLICIES } from '../../../../../main/engine/policies/registry'

describe('policy registry', () => {
  it('lists the shipped policies with their knobs, defaults and units', () => {
    const list = listPolicies()
    expect(list.map((p) => p.id)).toEqual([
      'first-touch',
      'interleave',
      'weighted-interleave',
      'numa-balancing-tiering',
      'oracle',
      'numa-balancing',
      'colloid',
      'nomad',
      'memtis',
      'hemem',
      'pghot',
      'gpu-access-counters',
    ])
    const numab = list.find((p) => p.id === 'numa-balancing-tiering')!
    const knob = (n: string) => numab.knobs.find((k) => k.name === n)!
    // Kernel defaults [FAIR][KRST].
    expect(knob('hotThresholdMs')).toMatchObject({ default: 1000, unit: 'ms', type: 'number' })
    expect(knob('rateLimitMBps')).toMatchObject({ default: 65536, unit: 'MB/s' })
    expect(knob('scanSizeMB')).toMatchObject({ default: 256 })
    expect(knob('scanPeriodMaxMs')).toMatchObject({ default: 60000 })
    expect(knob('promotion')).toMatchObject({
      type: 'enum',
      values: ['sync', 'async'],
      default: 'sync',
    })
    const wi = list.find((p) => p.id === 'weighted-interleave')!
    expect(wi.knobs.find((k) => k.name === 'mode')).toMatchObject({
      values: ['auto', 'manual'],
      default: 'auto',
    })
  })

  it('describes every knob of every policy on its schema: label, unit and description', () => {
    for (const def of POLICIES) {
      const info = listPolicies().find((p) => p.id === def.id)!
      expect(info.knobs.map((k) => k.name)).toEqual(Object.keys(def.knobs.shape))
      for (const k of info.knobs) {
        expect(k.label, `${def.id}.${k.name}`).not.toBe(k.name)
        expect(k.label.length).toBeGreaterThan(2)
        expect(k.description.length, `${def.id}.${k.name}`).toBeGreaterThan(10)
        expect(typeof k.unit).toBe('string')
      }
    }
  })

  it('lists a bound the knob refuses as exclusive, never as an allowed minimum', () => {
    const numab = listPolicies().find((p) => p.id === 'numa-balancing-tiering')!
    const knob = (n: string) => numab.knobs.find((k) => k.name === n)!
    // hotThresholdMs must be positive: 0 is refused, so it has no inclusive minimum 0.
    expect(knob('hotThresholdMs')).toMatchObject({ exclusiveMin: 0, max: 3_600_000 })
    expect(knob('hotThresholdMs').min).toBeUndefined()
    // scanDelayMs may be 0.
    expect(knob('scanDelayMs')).toMatchObject({ min: 0 })
    expect(knob('scanDelayMs').exclusiveMin).toBeUndefined()
    expect(knob('hotThresholdMs')).toMatchObject({
      label: 'Hot threshold',
      unit: 'ms',
      description: expect.stringContaining('hot_threshold_ms'),
    })
    // What the listing says matches what the schema accepts.
    const def = POLICIES.find((p) => p.id === 'numa-balancing-tiering')!
    expect(def.knobs.safeParse({ hotThresholdMs: 0 }).success).toBe(false)
    expect(def.knobs.safeParse({ scanDelayMs: 0 }).success).toBe(true)
  })
})
