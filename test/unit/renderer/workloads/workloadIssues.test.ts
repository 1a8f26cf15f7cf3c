import { describe, expect, it } from 'vitest'
import { parseDocument } from '../../../../shared/formats/parse'
import {
  blankWorkload,
  initiatorIssues,
  initiatorOptions,
} from '../../../../renderer/src/features/experiments/workloads/model/draft'
import {
  issuesByPath,
  shownPaths,
  unplacedIssues,
} from '../../../../renderer/src/features/experiments/workloads/model/fieldIssues'
import { useWorkloadsStore } from '../../../../renderer/src/features/experiments/workloads/workloadsStore'
import { twoSocketCxl } from '../helpers/fixtures'
import { kvWorkload, setupTestStores } from '../experiments/test-client'

const copy = () => structuredClone(kvWorkload)

describe('schema issues → builder fields', () => {
  it('puts each zod issue on the field at its path', () => {
    const w = copy()
    w.regions[0].sizeGiB = -1
    w.processes[0].threads = 1.5
    w.processes[0].phases[0].accesses[1].pattern = { kind: 'zipf', s: 7, layout: 'shuffled' }
    const parsed = parseDocument('workload', w)
    if (parsed.ok) throw new Error('expected issues')
    const map = issuesByPath(parsed.issues)
    expect(map.get('regions[0].sizeGiB')).toEqual(['must be greater than 0 GiB, got number -1'])
    expect(map.get('processes[0].threads')).toEqual(['must be a whole number'])
    expect(map.get('processes[0].phases[0].accesses[1].pattern.s')).toEqual([
      'must be at most 5, got number 7',
    ])
    // Every one of them has a field in the form, so none is left for the list at the top.
    expect(unplacedIssues(parsed.issues, shownPaths(w))).toEqual([])
  })

  it('reports shares that do not add up to 1 on the phase access list', () => {
    setupTestStores()
    const store = useWorkloadsStore()
    store.replaceDraft(kvWorkload, { kind: 'new' })
    expect(store.valid).toBe(true)
    // 0.35 + 0.55 = 0.9.
    store.draft.processes[0].phases[0].accesses[1].share = 0.55
    expect(store.message('processes[0].phases[0].accesses')).toBe(
      'shares add up to 0.9; make them add up to 1',
    )
    expect(store.valid).toBe(false)
  })

  it('reports a missing value as missing rather than as zero', () => {
    setupTestStores()
    const store = useWorkloadsStore()
    store.replaceDraft(kvWorkload, { kind: 'new' })
    ;(store.draft.processes[0] as { mlp: unknown }).mlp = ''
    expect(store.message('processes[0].mlp')).toBe('expected number, got the string ""')
  })

  it('lists issues without a field (a wrong format tag) at the top', () => {
    const w = { ...copy(), format: 'tierlab.topology/v1' }
    const parsed = parseDocument('workload', w)
    if (parsed.ok) throw new Error('expected issues')
    expect(unplacedIssues(parsed.issues, shownPaths(w))).toEqual([
      {
        path: 'format',
        message:
          'this is a tierlab.topology file, but a tierlab.workload file ("tierlab.workload/v1") is needed here',
      },
    ])
  })
})

describe('initiators from the topology', () => {
  it('offers the sockets and GPUs and flags an initiator the topology lacks', () => {
    // twoSocketCxl: sockets s0, s1 and a CXL expander c0 (memory only, not an initiator).
    expect(initiatorOptions(twoSocketCxl).map((o) => o.id)).toEqual(['s0', 's1'])
    const w = copy()
    w.processes[0].initiator = 'c0'
    expect(initiatorIssues(w, twoSocketCxl)).toEqual([
      {
        path: 'processes[0].initiator',
        message: '"c0" is not a socket or GPU of topology "2S + CXL"; choose one of s0, s1',
      },
    ])
    setupTestStores()
    const store = useWorkloadsStore()
    store.replaceDraft(w, { kind: 'new' })
    expect(store.valid).toBe(true)
    store.topology = twoSocketCxl
    expect(store.message('processes[0].initiator')).toContain('"c0" is not a socket or GPU')
  })

  it('starts a blank workload that validates', () => {
    expect(parseDocument('workload', blankWorkload('s0')).ok).toBe(true)
  })
})
