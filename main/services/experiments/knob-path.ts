import { ApiError } from '../../../shared/api'

/** A sweep value: what `--values` and the API accept. */
export type KnobValue = number | string | boolean

const SEGMENT = /^[A-Za-z_$][\w$-]*(\[\d+\])*$/
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor'])

/** `topology.components[1].memory.capacityGiB` → ['topology', 'components', 1, 'memory', 'capacityGiB']. */
export function parseKnobPath(path: string): Array<string | number> {
  const bad = () =>
    new ApiError(
      'invalid-input',
      `knob: "${path}" is not a field path; write it like policy.params.hotThresholdMs or topology.components[1].memory.capacityGiB`,
    )
  if (path.length === 0 || path.length > 300) throw bad()
  const out: Array<string | number> = []
  for (const segment of path.split('.')) {
    if (!SEGMENT.test(segment)) throw bad()
    const name = segment.replace(/\[.*$/, '')
    if (FORBIDDEN.has(name)) throw bad()
    out.push(name)
    for (const m of segment.matchAll(/\[(\d+)\]/g)) out.push(Number(m[1]))
  }
  return out
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A copy of `doc` with the field at `path` set to `value`. Every step but the last must exist,
 * so a typo is an error rather than a new field; the last may be new inside an object (a policy
 * knob left at its default).
 */
export function setKnob(doc: unknown, path: string, value: unknown): unknown {
  const steps = parseKnobPath(path)
  const copy = structuredClone(doc)
  let here: unknown = copy
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]
    const last = i === steps.length - 1
    const where = steps
      .slice(0, i)
      .reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '')
    if (typeof step === 'number') {
      if (!Array.isArray(here) || step >= here.length) {
        throw new ApiError(
          'invalid-input',
          `knob: ${where || 'the experiment'} has no element [${step}]${Array.isArray(here) ? ` (it has ${here.length})` : ''}; check the index in "${path}"`,
        )
      }
      if (last) here[step] = value
      else here = here[step]
      continue
    }
    if (!isObject(here) || (!last && !(step in here))) {
      throw new ApiError(
        'invalid-input',
        `knob: ${where || 'the experiment'} has no field "${step}"; check the spelling of "${path}"`,
      )
    }
    if (last) here[step] = value
    else here = here[step]
  }
  return copy
}

/** `--values 5,10,true,fast` → [5, 10, true, 'fast']: numbers and booleans become themselves. */
export function parseKnobValues(text: string): KnobValue[] {
  return text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0)
    .map((v) => {
      if (v === 'true') return true
      if (v === 'false') return false
      const n = Number(v)
      return Number.isFinite(n) ? n : v
    })
}
