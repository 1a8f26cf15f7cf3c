import { describe, expect, it } from 'vitest'
import {
  groupRows,
  noiseVerdict,
  replicateGroups,
} from '../../../../renderer/src/features/compare/model/replicates'

const run = (id: number, groupKey: string, throughput: number, label = `p${groupKey}`) => ({
  id,
  label,
  color: '#1f77b4',
  detail: { groupKey, status: 'done' as const, summary: { throughputOpsPerS: throughput } },
})

describe('replicate groups in Compare', () => {
  it('groups seeds of one experiment and shows mean ± CI', () => {
    const groups = replicateGroups([run(1, 'a', 100), run(2, 'b', 50), run(3, 'a', 110)])
    expect(groups.map((g) => g.runs.map((r) => r.id))).toEqual([[1, 3], [2]])
    expect(groups[0].label).toBe('pa (2 seeds)')
    expect(groupRows(groups)[0].cells[0]).toBe('105 ± 63.53 (n=2)')
  })

  it('says a difference is within the noise when the intervals cannot tell them apart', () => {
    const groups = replicateGroups([
      run(1, 'a', 100),
      run(2, 'a', 112),
      run(3, 'a', 91),
      run(4, 'b', 104),
      run(5, 'b', 95),
      run(6, 'b', 109),
    ])
    expect(noiseVerdict(groups, 1)).toMatch(
      /^pb \(3 seeds\) vs pa \(3 seeds\): \+1\.7 % throughput is within the noise \(±\d+\.\d % at 95 %\)$/,
    )
  })

  it('calls a clear difference beyond the noise, and needs replicates to judge', () => {
    const clear = replicateGroups([
      run(1, 'a', 100),
      run(2, 'a', 101),
      run(3, 'b', 150),
      run(4, 'b', 151),
    ])
    expect(noiseVerdict(clear, 1)).toContain('+49.8 % throughput, beyond the noise')
    expect(noiseVerdict(replicateGroups([run(1, 'a', 1), run(2, 'b', 2)]), 1)).toBeNull()
  })
})
