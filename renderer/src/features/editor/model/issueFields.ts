import type { FieldIssue } from '../../../../../shared/formats'
import type { TopologyDraft } from './editorDocument'

/** Messages per field path relative to one element ('' = the element as a whole). */
export type FieldMessages = Record<string, string[]>

/**
 * The issues whose path lies under `prefix` (e.g. `components[1]`), keyed by the rest of the
 * path (`memory.capacityGiB`). `components[1]` does not match `components[10]`.
 */
export function issuesUnder(issues: readonly FieldIssue[], prefix: string): FieldMessages {
  const out: FieldMessages = {}
  for (const issue of issues) {
    if (!issue.path.startsWith(prefix)) continue
    let rest = issue.path.slice(prefix.length)
    if (rest !== '' && rest[0] !== '.' && rest[0] !== '[') continue
    if (rest[0] === '.') rest = rest.slice(1)
    ;(out[rest] ??= []).push(issue.message)
  }
  return out
}

export const componentIssues = (issues: readonly FieldIssue[], index: number): FieldMessages =>
  issuesUnder(issues, `components[${index}]`)

export const linkIssues = (issues: readonly FieldIssue[], index: number): FieldMessages =>
  issuesUnder(issues, `links[${index}]`)

/** Issues about the document as a whole (name, format, "needs a socket"), not one element. */
export function documentIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.filter((i) => !/^(components|links)\[\d+\]/.test(i.path))
}

/** How many issues each component has, by component id (for a warning mark on the canvas). */
export function issueCountByComponent(
  issues: readonly FieldIssue[],
  topology: TopologyDraft,
): Map<string, number> {
  const counts = new Map<string, number>()
  for (const issue of issues) {
    const m = /^components\[(\d+)\]/.exec(issue.path)
    if (!m) continue
    const id = topology.components[Number(m[1])]?.id
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}
