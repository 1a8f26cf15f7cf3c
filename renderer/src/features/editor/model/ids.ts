/** The smallest `prefix<n>` (n = 0, 1, …) not in `used`. */
export function nextFreeId(prefix: string, used: ReadonlySet<string>): string {
  for (let n = 0; ; n++) {
    const id = `${prefix}${n}`
    if (!used.has(id)) return id
  }
}

/** `s12` → `s`, `cxl-a3` → `cxl-a`: what a copy's id is built from. */
export function idPrefix(id: string): string {
  const stripped = id.replace(/\d+$/, '')
  return stripped || 'c'
}
