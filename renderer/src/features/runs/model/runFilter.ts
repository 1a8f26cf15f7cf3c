import type { RunRecord, RunStatus } from '../../../../../shared/runs'
import { columnValue, type RunColumn } from './runColumns'

/** What the archive shows: every field narrows; empty means "any". */
export interface RunFilter {
  /** Case-insensitive words, all of which must appear in name, policy, topology, workload, tags, batch or notes. */
  text: string
  policy: string
  topology: string
  workload: string
  tag: string
  status: RunStatus | ''
  /** Inclusive UTC dates `YYYY-MM-DD` on createdAt; '' for open ends. */
  createdFrom: string
  createdTo: string
}

export const EMPTY_FILTER: RunFilter = {
  text: '',
  policy: '',
  topology: '',
  workload: '',
  tag: '',
  status: '',
  createdFrom: '',
  createdTo: '',
}

export interface RunSort {
  column: RunColumn
  descending: boolean
}

// Built once per record object: filtering 10,000 runs on every keystroke must not rebuild strings.
const haystacks = new WeakMap<RunRecord, string>()
function haystack(run: RunRecord): string {
  let h = haystacks.get(run)
  if (h === undefined) {
    h = [
      run.id,
      run.name,
      run.policyId,
      run.topologyName,
      run.workloadName,
      run.status,
      run.batch ?? '',
      run.notes,
      ...run.tags,
    ]
      .join('\n')
      .toLowerCase()
    haystacks.set(run, h)
  }
  return h
}

/** The runs matching every field of `filter`, in their original order. */
export function filterRuns(runs: readonly RunRecord[], filter: RunFilter): RunRecord[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean)
  // createdAt is ISO UTC, so comparing the date prefix as text orders correctly.
  return runs.filter((run) => {
    if (filter.status && run.status !== filter.status) return false
    if (filter.policy && run.policyId !== filter.policy) return false
    if (filter.topology && run.topologyName !== filter.topology) return false
    if (filter.workload && run.workloadName !== filter.workload) return false
    if (filter.tag && !run.tags.includes(filter.tag)) return false
    const day = run.createdAt.slice(0, 10)
    if (filter.createdFrom && day < filter.createdFrom) return false
    if (filter.createdTo && day > filter.createdTo) return false
    if (words.length > 0) {
      const h = haystack(run)
      for (const w of words) if (!h.includes(w)) return false
    }
    return true
  })
}

// One collator for all comparisons: localeCompare with options builds one per call (slow at 10k rows).
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

function compareValues(a: string | number, b: string | number, column: RunColumn): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  // ISO-8601 UTC times order as plain strings, several times faster than a collator.
  if (column === 'created') return a < b ? -1 : a > b ? 1 : 0
  return collator.compare(String(a), String(b))
}

/** A sorted copy; runs without a value (null) go last in both directions; ties keep id order (newest first). */
export function sortRuns(runs: readonly RunRecord[], sort: RunSort): RunRecord[] {
  const sign = sort.descending ? -1 : 1
  const keyed = runs.map((run) => ({ run, v: columnValue(run, sort.column) }))
  keyed.sort((x, y) => {
    if (x.v === null || y.v === null) {
      if (x.v === null && y.v === null) return y.run.id - x.run.id
      return x.v === null ? 1 : -1
    }
    return sign * compareValues(x.v, y.v, sort.column) || y.run.id - x.run.id
  })
  return keyed.map((k) => k.run)
}

/** Distinct values offered by the filter menus, sorted. */
export interface RunFacets {
  policies: string[]
  topologies: string[]
  workloads: string[]
  tags: string[]
}

export function runFacets(runs: readonly RunRecord[]): RunFacets {
  const p = new Set<string>()
  const t = new Set<string>()
  const w = new Set<string>()
  const g = new Set<string>()
  for (const r of runs) {
    p.add(r.policyId)
    t.add(r.topologyName)
    w.add(r.workloadName)
    for (const tag of r.tags) g.add(tag)
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b))
  return { policies: sorted(p), topologies: sorted(t), workloads: sorted(w), tags: sorted(g) }
}

/** Whether any field narrows the list. */
export function isFiltering(filter: RunFilter): boolean {
  return Object.values(filter).some((v) => v !== '')
}
