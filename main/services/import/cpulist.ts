/** Counts a Linux cpu/node list such as `0-3,8,10-11` or numactl's space-separated `0 1 2`. */
export function countList(list: string): number | null {
  let n = 0
  for (const part of list.trim().split(/[\s,]+/)) {
    if (part === '') continue
    const m = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!m) return null
    n += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1
  }
  return n
}

/** Expands a node list (`0-1,4`) into ids. */
export function expandList(list: string): number[] {
  const out: number[] = []
  for (const part of list.trim().split(/[\s,]+/)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!m) continue
    for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) out.push(i)
  }
  return out
}
