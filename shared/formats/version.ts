/**
 * Format tags: every file users write carries `format: "tierlab.<kind>/v<major>[.<minor>]"`.
 * Readers accept every version up to the one this build writes and refuse newer majors with a
 * message that names both versions (DESIGN.md §8).
 */
export type FormatKind = 'topology' | 'workload' | 'experiment' | 'bundle' | 'study'

/** The major version this build reads and writes, per kind. */
export const CURRENT_MAJOR: Record<FormatKind, number> = {
  topology: 1,
  workload: 1,
  experiment: 1,
  bundle: 1,
  study: 1,
}

export function formatTag(kind: FormatKind): string {
  return `tierlab.${kind}/v${CURRENT_MAJOR[kind]}`
}

export interface ParsedTag {
  kind: string
  major: number
  minor: number
}

const TAG = /^tierlab\.([a-z-]+)\/v(\d+)(?:\.(\d+))?$/

export function parseFormatTag(tag: unknown): ParsedTag | null {
  if (typeof tag !== 'string') return null
  const m = TAG.exec(tag)
  if (!m) return null
  return { kind: m[1], major: Number(m[2]), minor: m[3] ? Number(m[3]) : 0 }
}

/**
 * Checks a document's `format` field before schema validation. Returns null when the document can
 * be read, or one sentence saying what is wrong and how to fix it.
 */
export function checkFormatTag(doc: unknown, kind: FormatKind): string | null {
  const expected = formatTag(kind)
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    const got = Array.isArray(doc) ? 'an array' : doc === null ? 'null' : `a ${typeof doc}`
    return `holds ${got}, but a tierlab.${kind} file is a JSON object; start it with { "format": "${expected}", … }`
  }
  const raw = (doc as Record<string, unknown>).format
  if (raw === undefined) {
    return `format: missing; add "format": "${expected}" at the top of the file`
  }
  const tag = parseFormatTag(raw)
  if (!tag) {
    return `format: ${JSON.stringify(raw)} is not a Tierlab format tag; use "${expected}"`
  }
  if (tag.kind !== kind) {
    return `format: this is a tierlab.${tag.kind} file, but a tierlab.${kind} file ("${expected}") is needed here`
  }
  if (tag.major > CURRENT_MAJOR[kind]) {
    return `format: the file is ${String(raw)}, but this build of Tierlab reads tierlab.${kind} up to v${CURRENT_MAJOR[kind]}; update Tierlab to open it`
  }
  if (tag.major < 1) {
    return `format: ${String(raw)} is not a released version; use "${expected}"`
  }
  return null
}
