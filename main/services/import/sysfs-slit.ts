import type { MachineFacts } from './facts'

/**
 * The SLIT from a snapshot's `nodeN/distance` rows. Each row lists the distance to every online
 * node in id order (drivers/base/node.c node_read_distance), so its columns are the `online` list;
 * without that file they are guessed from has_cpu ∪ has_memory, `possible` or the node folders,
 * whichever has a row's length. A row that is missing or cut short is filled from the other rows'
 * columns (firmware SLITs are symmetric on the machines Tierlab models) with a warning; when that
 * cannot fill it, the SLIT is left out and the distances come from the drawn links.
 */
export function sysfsSlit(
  nodes: number[],
  rowText: (node: number) => string | undefined,
  columnGuesses: number[][],
  file: string,
  warnings: string[],
): MachineFacts['slit'] {
  const parsed = new Map<number, number[]>()
  for (const id of nodes) {
    const text = rowText(id)
    const row = text === undefined || text === '' ? [] : text.split(/\s+/).map(Number)
    if (row.length > 0 && row.every((d) => Number.isInteger(d) && d >= 0)) parsed.set(id, row)
  }
  const lengths = new Set([...parsed.values()].map((r) => r.length))
  const cols = columnGuesses.find(
    (c) => lengths.has(c.length) && nodes.every((id) => c.includes(id)),
  )
  const giveUp = (why: string) => {
    warnings.push(`${file}: ${why}; the SLIT is derived from the drawn links instead`)
    return undefined
  }
  if (!cols) return giveUp('no nodeN/distance row matches the online node list')
  const row = (id: number) => {
    const r = parsed.get(id)
    return r && r.length === cols.length ? r : undefined
  }
  const filled = nodes.filter((id) => !row(id))
  if (filled.length === nodes.length) return giveUp('every nodeN/distance row is missing or short')
  if (filled.some((a) => filled.some((b) => a !== b)))
    return giveUp(
      `the distance rows of nodes ${filled.join(', ')} are missing or short, so the distances between them are unknown`,
    )
  const matrix = nodes.map((i) =>
    nodes.map((j) => {
      const own = row(i)
      if (own) return own[cols.indexOf(j)]
      return i === j ? 10 : (row(j) as number[])[cols.indexOf(i)]
    }),
  )
  for (const id of filled)
    warnings.push(
      `${file}: node${id}/distance is missing or short; its row is taken from the other nodes' columns (a symmetric SLIT) — copy that file to keep the machine's own`,
    )
  return { nodeIds: nodes, matrix }
}
