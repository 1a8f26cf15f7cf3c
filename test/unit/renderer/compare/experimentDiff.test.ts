import { describe, expect, it } from 'vitest'
import {
  diffDocuments,
  flattenJson,
  formatDiffValue,
} from '../../../../renderer/src/features/compare/model/experimentDiff'

describe('flattenJson', () => {
  it('names leaves by path, arrays of id-carrying objects by id, others by index', () => {
    const flat = flattenJson({
      policy: { id: 'tpp', params: { scanDelayMs: 1000 } },
      topology: {
        components: [
          { id: 's0', cores: 8 },
          { id: 'c0', memory: { readLatencyNs: 170 } },
        ],
      },
      workload: { processes: [{ phases: [{ durationS: 5 }, { durationS: 10 }] }] },
      tags: [],
      extra: {},
    })
    expect([...flat]).toEqual([
      ['policy.id', 'tpp'],
      ['policy.params.scanDelayMs', 1000],
      ['topology.components[s0].id', 's0'],
      ['topology.components[s0].cores', 8],
      ['topology.components[c0].id', 'c0'],
      ['topology.components[c0].memory.readLatencyNs', 170],
      ['workload.processes[0].phases[0].durationS', 5],
      ['workload.processes[0].phases[1].durationS', 10],
      ['tags', []],
      ['extra', {}],
    ])
  })

  it('falls back to indexes when ids repeat', () => {
    const flat = flattenJson({ a: [{ id: 'x' }, { id: 'x' }] })
    expect([...flat.keys()]).toEqual(['a[0].id', 'a[1].id'])
  })
})

describe('diffDocuments', () => {
  const first = {
    name: 'kv',
    policy: { id: 'first-touch', params: {} },
    durationS: 10,
    topology: {
      components: [
        { id: 's0', cores: 8 },
        { id: 'c0', capacityGiB: 256 },
      ],
    },
  }
  const second = {
    name: 'kv',
    policy: { id: 'tpp', params: { demoteScale: 2 } },
    durationS: 10,
    // c0 moved to the front: addressed by id, it is not a difference.
    topology: {
      components: [
        { id: 'c0', capacityGiB: 512 },
        { id: 's0', cores: 8 },
      ],
    },
  }

  it('lists only what differs, with absent fields as undefined', () => {
    expect(diffDocuments([first, second])).toEqual([
      { path: 'policy.id', values: ['first-touch', 'tpp'] },
      { path: 'policy.params', values: [{}, undefined] },
      { path: 'topology.components[c0].capacityGiB', values: [256, 512] },
      { path: 'policy.params.demoteScale', values: [undefined, 2] },
    ])
  })

  it('is empty for identical documents and for a single one', () => {
    expect(diffDocuments([first, structuredClone(first)])).toEqual([])
    expect(diffDocuments([first])).toEqual([])
  })

  it('shows a field that differs in any one of three documents', () => {
    const third = { ...first, durationS: 20 }
    const rows = diffDocuments([first, first, third])
    expect(rows).toEqual([{ path: 'durationS', values: [10, 10, 20] }])
  })

  it('formats cells as text', () => {
    expect(formatDiffValue(undefined)).toBe('—')
    expect(formatDiffValue('tpp')).toBe('tpp')
    expect(formatDiffValue(2)).toBe('2')
    expect(formatDiffValue(false)).toBe('false')
    expect(formatDiffValue([])).toBe('[]')
  })
})
