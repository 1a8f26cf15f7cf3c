/** Rows of cells as plain text, each column padded to its widest cell. */
export function renderRows(
  rows: Array<Array<string | number>>,
  alignRight: boolean[] = [],
): string {
  const cells = rows.map((r) => r.map(String))
  const columns = Math.max(0, ...cells.map((r) => r.length))
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(...cells.map((r) => (r[c] ?? '').length)),
  )
  return cells
    .map((r) =>
      r
        .map((cell, c) => (alignRight[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** A text table: the header row, then the rows. */
export function renderTable(
  header: string[],
  rows: Array<Array<string | number>>,
  alignRight: boolean[] = [],
): string {
  return renderRows([header, ...rows], alignRight)
}

/** `[0, 1, 2, 5]` → `0-2,5`, as sysfs prints node and CPU lists. */
export function formatIdList(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(',')
}
