import { describe, expect, it } from 'vitest'
import { studyRows } from '../../../../renderer/src/features/studies/model/studyRows'
import type { StudySummary } from '../../../../shared/studies'

const study = (over: Partial<StudySummary> = {}): StudySummary => ({
  name: 'migration-cost',
  title: 'What does a migration cost?',
  question: 'q',
  conclusion: 'c',
  claims: 7,
  problem: null,
  latest: null,
  batches: 0,
  ...over,
})

describe('studyRows', () => {
  it('a study never run here offers its command and nothing to compare', () => {
    expect(studyRows([study()])[0]).toMatchObject({
      status: 'Not run into this database yet',
      compareIds: [],
      baselineId: null,
      command: 'tierlab study migration-cost',
    })
  })

  it('opens the finished runs of the newest batch, with the baseline only when it finished', () => {
    const runs = [
      { runId: 7, variant: 'first-touch', name: 'a', status: 'done' as const },
      { runId: 8, variant: 'sync', name: 'b', status: 'done' as const },
      { runId: 9, variant: 'async', name: 'c', status: 'failed' as const },
    ]
    const [row] = studyRows([study({ latest: { batch: 'b', runs, baselineRunId: 7 }, batches: 2 })])
    expect(row).toMatchObject({
      compareIds: [7, 8],
      baselineId: 7,
      status: '2 of 3 runs done (newest of 2 runs of the study)',
    })
    const failedBaseline = runs.map((r) =>
      r.runId === 7 ? { ...r, status: 'failed' as const } : r,
    )
    expect(
      studyRows([
        study({ latest: { batch: 'b', runs: failedBaseline, baselineRunId: 7 }, batches: 1 }),
      ])[0],
    ).toMatchObject({ compareIds: [8], baselineId: null })
  })
})
