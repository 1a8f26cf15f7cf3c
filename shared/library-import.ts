/**
 * What importing a document into a library does when the library already holds documents of that
 * name: an identical document is not added again (importing the same file twice is a no-op), a
 * different one is saved under the first free "name (n)" so neither hides the other.
 */
export type ImportPlacement =
  | { kind: 'new'; name: string }
  | { kind: 'renamed'; name: string; takenName: string }
  | { kind: 'duplicate'; id: number }

/** JSON with object keys sorted, so two documents compare by content, not by key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

/** The first of `name`, `name (2)`, `name (3)`, … that no saved document uses. */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`
    if (!taken.has(candidate)) return candidate
  }
}

/**
 * Where an imported document goes. `saved` lists the library's entries; `documentOf` reads one
 * (only same-named entries are read).
 */
export function placeImport<Doc extends { name: string }>(
  doc: Doc,
  saved: ReadonlyArray<{ id: number; name: string }>,
  documentOf: (id: number) => Doc | null,
): ImportPlacement {
  const wanted = canonicalJson(doc)
  const taken = new Set(saved.map((s) => s.name))
  // A copy may already carry a "(n)" suffix from an earlier import of a different document.
  for (const s of saved) {
    if (s.name !== doc.name && !s.name.startsWith(`${doc.name} (`)) continue
    const other = documentOf(s.id)
    if (other && canonicalJson({ ...other, name: doc.name }) === wanted)
      return { kind: 'duplicate', id: s.id }
  }
  const name = freeName(doc.name, taken)
  return name === doc.name ? { kind: 'new', name } : { kind: 'renamed', name, takenName: doc.name }
}
