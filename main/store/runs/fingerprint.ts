import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so the same experiment hashes the same whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export interface FingerprintInput {
  experiment: unknown
  seed: number
  engineVersion: string
  /** ISO-8601; normalised so "…Z" and "+00:00" spellings of one instant agree. */
  createdAt: string
}

/**
 * Identity of a run across databases: the same experiment, seed and engine version started at the
 * same instant is the same run, so importing an export twice is reported, not duplicated.
 */
export function runFingerprint(input: FingerprintInput): string {
  const createdAt = new Date(input.createdAt)
  const instant = Number.isNaN(createdAt.getTime()) ? input.createdAt : createdAt.toISOString()
  return createHash('sha256')
    .update(canonicalJson(input.experiment))
    .update('\n')
    .update(String(input.seed))
    .update('\n')
    .update(input.engineVersion)
    .update('\n')
    .update(instant)
    .digest('hex')
}
