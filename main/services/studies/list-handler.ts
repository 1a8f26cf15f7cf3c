import { studyTag } from '../../../shared/formats'
import type { RunRecord } from '../../../shared/runs'
import type { StudySummary } from '../../../shared/studies'
import type { Store } from '../../store'
import type { ApiHandlers } from '../types'
import { listStudyNames, loadStudy } from './load'

/** A run's variant id, from the `variant:ID` tag `tierlab study` gives it. */
function variantOf(run: RunRecord): string {
  return run.tags.find((t) => t.startsWith('variant:'))?.slice('variant:'.length) ?? run.name
}

/** The newest batch of a study's runs (the one holding the highest run id), in run order. */
function latestBatch(runs: RunRecord[]): { batch: string; runs: RunRecord[] } | null {
  const newest = runs.reduce<RunRecord | null>(
    (n, r) => (r.batch && (!n || r.id > n.id) ? r : n),
    null,
  )
  if (!newest?.batch) return null
  return {
    batch: newest.batch,
    runs: runs.filter((r) => r.batch === newest.batch).sort((a, b) => a.id - b.id),
  }
}

/** `studies.list`: the shipped studies and where their newest runs are in the archive. */
export function createStudyHandlers(
  store: Store,
  resourcesDir: string,
): Pick<ApiHandlers, 'studies.list'> {
  return {
    'studies.list': async () => {
      const out: StudySummary[] = []
      for (const name of listStudyNames(resourcesDir)) {
        const runs = store.runs.list({ tag: studyTag(name) })
        const latest = latestBatch(runs)
        const base = {
          name,
          latest: latest && {
            batch: latest.batch,
            runs: latest.runs.map((r) => ({
              runId: r.id,
              variant: variantOf(r),
              name: r.name,
              status: r.status,
            })),
            baselineRunId: null as number | null,
          },
          batches: new Set(runs.map((r) => r.batch).filter((b) => b !== null)).size,
        }
        try {
          const { study } = await loadStudy(name, resourcesDir)
          const baseline = study.baseline ?? study.variants[0].id
          if (base.latest)
            base.latest.baselineRunId =
              base.latest.runs.find((r) => r.variant === baseline)?.runId ?? null
          out.push({
            ...base,
            title: study.title,
            question: study.question,
            conclusion: study.conclusion,
            claims: study.claims.length,
            problem: null,
          })
        } catch (err) {
          const problem = err instanceof Error ? err.message : String(err)
          out.push({ ...base, title: name, question: '', conclusion: '', claims: 0, problem })
        }
      }
      return out
    },
  }
}
