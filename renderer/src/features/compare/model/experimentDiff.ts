/** A leaf of a JSON document: a primitive, or an empty array/object (which has no leaves). */
export type JsonLeaf = string | number | boolean | null | [] | Record<string, never>

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Arrays of objects that all carry a distinct string `id` are addressed by id, not position. */
function idsOf(items: unknown[]): string[] | null {
  const ids = items.map((i) => (isPlainObject(i) && typeof i.id === 'string' ? i.id : null))
  if (ids.some((i) => i === null)) return null
  return new Set(ids).size === ids.length ? (ids as string[]) : null
}

/**
 * Every leaf of `value` by its path: `policy.params.scanDelayMs`, `topology.components[c0].memory.readLatencyNs`
 * (id-addressed, so adding a component does not shift the others), `workload.processes[0].phases[1].durationS`.
 */
export function flattenJson(
  value: unknown,
  path = '',
  out = new Map<string, JsonLeaf>(),
): Map<string, JsonLeaf> {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.set(path, [])
      return out
    }
    const ids = idsOf(value)
    value.forEach((item, i) => flattenJson(item, `${path}[${ids ? ids[i] : i}]`, out))
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value)
    if (keys.length === 0) out.set(path, {})
    for (const k of keys) {
      if (value[k] === undefined) continue
      flattenJson(value[k], path ? `${path}.${k}` : k, out)
    }
  } else {
    out.set(path, value as JsonLeaf)
  }
  return out
}

export interface DiffRow {
  path: string
  /** One value per document; undefined where the document has no such field. */
  values: Array<JsonLeaf | undefined>
}

/**
 * Only what differs between the documents (W&B's "Diff only", Aim #362): every path whose value is
 * not the same in all of them, including paths some documents lack. Paths keep the order they
 * first appear in, document by document.
 */
export function diffDocuments(docs: readonly unknown[]): DiffRow[] {
  const flat = docs.map((d) => flattenJson(d))
  const paths = new Set<string>()
  for (const f of flat) for (const p of f.keys()) paths.add(p)
  const rows: DiffRow[] = []
  for (const path of paths) {
    const values = flat.map((f) => (f.has(path) ? f.get(path) : undefined))
    const first = JSON.stringify(values[0])
    if (values.some((v) => JSON.stringify(v) !== first)) rows.push({ path, values })
  }
  return rows
}

/** A diff cell as text: strings bare, absent fields as an em dash, the rest as JSON. */
export function formatDiffValue(v: JsonLeaf | undefined): string {
  if (v === undefined) return '—'
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}
