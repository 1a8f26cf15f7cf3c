import type { FieldIssue } from '../../../../../../shared/formats/parse'
import type { WorkloadDraft } from './draft'

/** Messages per exact document path (`processes[0].phases[1].accesses[0].pattern.s`). */
export type IssueMap = ReadonlyMap<string, string[]>

export function issuesByPath(issues: readonly FieldIssue[]): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const issue of issues) {
    const list = map.get(issue.path)
    if (list) list.push(issue.message)
    else map.set(issue.path, [issue.message])
  }
  return map
}

/** The one message a field shows (the first; a field rarely has two, and one is enough to act). */
export function fieldMessage(map: IssueMap, path: string): string | null {
  return map.get(path)?.[0] ?? null
}

/** Issues no form field shows (see shownPaths), listed at the top of the builder instead. */
export function unplacedIssues(
  issues: readonly FieldIssue[],
  shownPaths: ReadonlySet<string>,
): FieldIssue[] {
  return issues.filter((i) => !shownPaths.has(i.path))
}

const PROCESS_FIELDS = [
  'id',
  'initiator',
  'threads',
  'computeNsPerOp',
  'accessesPerOp',
  'mlp',
  'writeFraction',
  'phases',
] as const
const PATTERN_FIELDS: Record<string, readonly string[]> = {
  zipf: ['s', 'clusterPages'],
  hotset: ['hotFraction', 'hotProbability', 'clusterPages'],
  'moving-window': ['widthFraction', 'periodS'],
  trace: ['trace'],
}

/**
 * Every path the builder's forms show a message at, for this draft. Issues elsewhere (a pattern
 * parameter the form does not offer, the format tag) go to the list at the top instead.
 */
export function shownPaths(w: WorkloadDraft): Set<string> {
  const out = new Set<string>(['name', 'regions', 'processes'])
  w.regions.forEach((r, i) => {
    for (const f of ['id', 'sizeGiB', 'firstTouch']) out.add(`regions[${i}].${f}`)
    if (r.allocation !== 'start') out.add(`regions[${i}].allocation.rateGBps`)
  })
  w.processes.forEach((p, pi) => {
    for (const f of PROCESS_FIELDS) out.add(`processes[${pi}].${f}`)
    p.phases.forEach((ph, phi) => {
      const phase = `processes[${pi}].phases[${phi}]`
      out.add(`${phase}.durationS`)
      out.add(`${phase}.accesses`)
      ph.accesses.forEach((a, ai) => {
        const access = `${phase}.accesses[${ai}]`
        out.add(`${access}.region`)
        out.add(`${access}.share`)
        for (const f of PATTERN_FIELDS[a.pattern.kind] ?? []) out.add(`${access}.pattern.${f}`)
      })
    })
  })
  return out
}
