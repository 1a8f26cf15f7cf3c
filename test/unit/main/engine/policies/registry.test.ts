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

  it('marks a minimum the knob itself refuses (positive knobs) as exclusive', () => {
    const numab = listPolicies().find((p) => p.id === 'numa-balancing-tiering')!
    const knob = (n: string) => numab.knobs.find((k) => k.name === n)!
    // z.number().positive(): 0 is refused, so 0 is not a minimum one may give.
    expect(knob('hotThresholdMs')).toMatchObject({ min: 0, minExclusive: true, max: 3_600_000 })
    expect(knob('rateLimitMBps')).toMatchObject({ min: 0, minExclusive: true })
    // z.number().min(0): 0 is allowed.
    expect(knob('scanDelayMs')).toMatchObject({ min: 0 })
    expect(knob('scanDelayMs')).not.toHaveProperty('minExclusive')
    // Every exclusive minimum is refused by the knob's own schema, every inclusive one taken.
    for (const def of POLICIES)
      for (const k of listPolicies().find((p) => p.id === def.id)!.knobs) {
        if (k.min === undefined || (k.type !== 'number' && k.type !== 'integer')) continue
        const ok = def.knobs.safeParse({ [k.name]: k.min }).success
        expect(ok, `${def.id}.${k.name} = ${k.min}`).toBe(!k.minExclusive)
      }
  })

  it('describes every knob of every policy', () => {
    for (const def of POLICIES)
      for (const name of Object.keys(def.knobs.shape)) {
        expect(def.knobTable[name], `${def.id}.${name}`).toBeDefined()
        expect(def.knobTable[name].description.length).toBeGreaterThan(10)
      }
  })
})
