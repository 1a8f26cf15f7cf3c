/**
 * Formats node ids as the kernel prints a nodemask in sysfs (`%*pbl`): sorted, runs of
 * consecutive ids joined as `a-b`, separated by commas, e.g. [0, 1, 2, 5] → `0-2,5`
 * (/sys/devices/virtual/memory_tiering/memory_tierN/nodelist).
 */
export function formatNodelist(nodes: readonly number[]): string {
  const sorted = [...new Set(nodes)].sort((a, b) => a - b)
  const parts: string[] = []
  let i = 0
  while (i < sorted.length) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(',')
}
