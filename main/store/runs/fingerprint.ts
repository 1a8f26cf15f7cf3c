import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so the same experiment hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
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

/** Fields of an experiment that do not change what is simulated, so replicates share a group. */
const NOT_SIMULATED = new Set(['seed', 'name', 'notes', 'tags'])

/**
 * The replicate group of a run: the same experiment (apart from seed, name, notes and tags) on the
 * same engine version. Runs of one group differ only by their seed, so their spread is the noise.
 */
export function runGroupKey(experiment: unknown, engineVersion: string): string {
  const simulated =
    experiment !== null && typeof experiment === 'object' && !Array.isArray(experiment)
      ? Object.fromEntries(
          Object.entries(experiment as Record<string, unknown>).filter(
            ([k]) => !NOT_SIMULATED.has(k),
          ),
        )
      : experiment
  return createHash('sha256')
    .update(canonicalJson(simulated))
    .update('\n')
    .update(engineVersion)
    .digest('hex')
    .slice(0, 16)
}

/**
 * A queue job's id: the hash of experiment, seed and engine version (DESIGN.md §8), so a
 * resubmitted sweep adds no duplicate job and a job delivered twice is recognised. The prefix
 * keeps BullMQ from reading it as a number.
 */
export function queueJobId(experiment: unknown, seed: number, engineVersion: string): string {
  return `tl-${createHash('sha256')
    .update(canonicalJson(experiment))
    .update('\n')
    .update(String(seed))
    .update('\n')
    .update(engineVersion)
    .digest('hex')
    .slice(0, 32)}`
}
