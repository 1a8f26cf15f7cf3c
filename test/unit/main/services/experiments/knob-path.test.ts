import { describe, expect, it } from 'vitest'
import { parseKnobPath, parseKnobValues, setKnob } from '../../../../../main/services/experiments'

describe('sweep knob paths', () => {
  it('parses dotted paths with array indices', () => {
    expect(parseKnobPath('topology.components[1].memory.capacityGiB')).toEqual([
      'topology',
      'components',
      1,
      'memory',
      'capacityGiB',
    ])
    expect(parseKnobPath('policy.params.hotThresholdMs')).toEqual([
      'policy',
      'params',
      'hotThresholdMs',
    ])
  })

  it('refuses malformed paths and prototype keys', () => {
    for (const bad of ['', 'a..b', 'a[x]', '.a', 'a.__proto__.b', 'constructor']) {
      expect(() => parseKnobPath(bad), bad).toThrow(/is not a field path/)
    }
  })

  it('sets a copy, leaving the original alone; a missing last key inside an object is added', () => {
    const doc = { policy: { id: 'x', params: {} }, topology: { components: [{ a: 1 }, { a: 2 }] } }
    const a = setKnob(doc, 'topology.components[1].a', 5) as typeof doc
    expect(a.topology.components.map((c) => c.a)).toEqual([1, 5])
    expect(doc.topology.components[1].a).toBe(2)
    const b = setKnob(doc, 'policy.params.hotThresholdMs', 100) as { policy: { params: object } }
    expect(b.policy.params).toEqual({ hotThresholdMs: 100 })
  })

  it('names the missing step of a path that does not exist', () => {
    const doc = { policy: { id: 'x' }, topology: { components: [{ a: 1 }] } }
    expect(() => setKnob(doc, 'polcy.params.x', 1)).toThrow(
      'knob: the experiment has no field "polcy"; check the spelling of "polcy.params.x"',
    )
    expect(() => setKnob(doc, 'topology.components[3].a', 1)).toThrow(
      /topology\.components has no element \[3\] \(it has 1\)/,
    )
  })

  it('reads --values as numbers, booleans and strings', () => {
    expect(parseKnobValues('5, 10.5,true,false,sync,1e3')).toEqual([
      5,
      10.5,
      true,
      false,
      'sync',
      1000,
    ])
  })
})
