import type { StudySummary } from '../../../../../shared/studies'

/** What a study's row shows: its state in this archive and where "Open in Compare" goes. */
export interface StudyRow {
  name: string
  title: string
  question: string
  conclusion: string
  claims: number
  problem: string | null
  /** "4 runs, all done" / "Not run into this database yet". */
  status: string
  /** The runs Compare opens (the newest batch's finished ones), baseline first if it finished. */
  compareIds: number[]
  baselineId: number | null
  command: string
}

/** Rows for the Studies list, from `studies.list`. */
export function studyRows(studies: readonly StudySummary[]): StudyRow[] {
  return studies.map((s) => {
    const runs = s.latest?.runs ?? []
    const done = runs.filter((r) => r.status === 'done').map((r) => r.runId)
    const baselineId =
      s.latest?.baselineRunId != null && done.includes(s.latest.baselineRunId)
        ? s.latest.baselineRunId
        : null
    const status =
      runs.length === 0
        ? 'Not run into this database yet'
        : done.length === runs.length
          ? `${runs.length} runs, all done`
          : `${done.length} of ${runs.length} runs done`
    return {
      name: s.name,
      title: s.title,
      question: s.question,
      conclusion: s.conclusion,
      claims: s.claims,
      problem: s.problem,
      status: s.batches > 1 ? `${status} (newest of ${s.batches} runs of the study)` : status,
      compareIds: done,
      baselineId,
      command: `tierlab study ${s.name}`,
    }
  })
}
