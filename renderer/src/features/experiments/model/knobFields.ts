import type { PolicyKnob } from '../../../../../shared/api/contract'

/**
 * A policy knob as a form field. Numbers are edited as text so that a half-typed value can be
 * shown with its message instead of being coerced; object knobs (node lists, weight maps) are
 * edited as JSON.
 */
export type KnobField = {
  name: string
  label: string
  unit: string
  /** The knob's description, plus its range and default: the field's help text. */
  help: string
} & (
  | { kind: 'number'; integer: boolean; min?: number; max?: number; defaultValue: string }
  | { kind: 'boolean'; defaultValue: boolean }
  | { kind: 'select'; options: string[]; defaultValue: string }
  | { kind: 'text'; defaultValue: string }
  | { kind: 'json'; defaultValue: string }
)

/** What a form holds per field: text for number/text/json/select, a flag for booleans. */
export type KnobFormValue = string | boolean
export type KnobFormValues = Record<string, KnobFormValue>

/** Unit suffixes of knob names (the codebase names every quantity with its unit). */
const UNIT_SUFFIXES = ['MBps', 'GBps', 'Ms', 'Ns', 'Us', 'MB', 'GB', 'GiB', 'Bytes', 'S', 'Pct']

/** `hotThresholdMs` → `Hot threshold`: the unit is shown beside the field, not in the label. */
export function knobLabel(name: string, unit: string): string {
  let stem = name
  const suffix = unit ? UNIT_SUFFIXES.find((u) => name.endsWith(u)) : undefined
  if (suffix && /[a-z0-9]$/.test(name.slice(0, -suffix.length)))
    stem = name.slice(0, -suffix.length)
  const text = stem.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function rangeText(k: PolicyKnob): string {
  const unit = k.unit ? ` ${k.unit}` : ''
  if (k.min !== undefined && k.minExclusive)
    return `more than ${k.min}${k.max !== undefined ? `, at most ${k.max}` : ''}${unit}`
  if (k.min !== undefined && k.max !== undefined) return `${k.min}–${k.max}${unit}`
  if (k.min !== undefined) return `at least ${k.min}${unit}`
  if (k.max !== undefined) return `at most ${k.max}${unit}`
  return ''
}

function defaultText(k: PolicyKnob): string {
  return typeof k.default === 'string' ? k.default : JSON.stringify(k.default)
}

export function knobToField(k: PolicyKnob): KnobField {
  const range = rangeText(k)
  const help = [
    k.description,
    range ? `Range ${range}.` : '',
    k.default !== undefined ? `Default ${defaultText(k)}${k.unit ? ` ${k.unit}` : ''}.` : '',
  ]
    .filter(Boolean)
    .join(' ')
  const base = { name: k.name, label: knobLabel(k.name, k.unit), unit: k.unit, help }
  switch (k.type) {
    case 'number':
    case 'integer':
      return {
        ...base,
        kind: 'number',
        integer: k.type === 'integer',
        min: k.min,
        max: k.max,
        defaultValue: typeof k.default === 'number' ? String(k.default) : '',
      }
    case 'boolean':
      return { ...base, kind: 'boolean', defaultValue: k.default === true }
    case 'enum':
      return {
        ...base,
        kind: 'select',
        options: k.values ?? [],
        defaultValue: typeof k.default === 'string' ? k.default : (k.values?.[0] ?? ''),
      }
    case 'string':
      return { ...base, kind: 'text', defaultValue: typeof k.default === 'string' ? k.default : '' }
    case 'object':
      return { ...base, kind: 'json', defaultValue: JSON.stringify(k.default ?? null) }
  }
}

export function defaultFormValues(fields: readonly KnobField[]): KnobFormValues {
  return Object.fromEntries(fields.map((f) => [f.name, f.defaultValue]))
}

/** Form values from a run's params (prefill): values the run did not set keep their defaults. */
export function formValuesFromParams(
  fields: readonly KnobField[],
  params: Record<string, unknown>,
): KnobFormValues {
  const out = defaultFormValues(fields)
  for (const f of fields) {
    if (!(f.name in params)) continue
    const v = params[f.name]
    if (f.kind === 'boolean') out[f.name] = v === true
    else if (f.kind === 'json') out[f.name] = JSON.stringify(v)
    else out[f.name] = String(v)
  }
  return out
}

export type KnobRead = { ok: true; value: unknown } | { ok: false; message: string }

/** A field's form value as the knob's value, or the message the field shows. */
export function readKnob(f: KnobField, raw: KnobFormValue | undefined): KnobRead {
  const value = raw ?? f.defaultValue
  switch (f.kind) {
    case 'boolean':
      return { ok: true, value: value === true }
    case 'select':
      return f.options.includes(String(value))
        ? { ok: true, value: String(value) }
        : { ok: false, message: `must be one of ${f.options.join(', ')}` }
    case 'text':
      return { ok: true, value: String(value) }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(String(value)) }
      } catch {
        return { ok: false, message: `is not valid JSON; write it like ${f.defaultValue}` }
      }
    case 'number': {
      const text = String(value).trim()
      const unit = f.unit ? ` ${f.unit}` : ''
      if (text === '') return { ok: false, message: `missing; enter a number${unit}` }
      const n = Number(text)
      if (!Number.isFinite(n)) return { ok: false, message: `"${text}" is not a number` }
      if (f.integer && !Number.isInteger(n)) return { ok: false, message: 'must be a whole number' }
      if (f.min !== undefined && n < f.min)
        return { ok: false, message: `must be at least ${f.min}${unit}` }
      if (f.max !== undefined && n > f.max)
        return { ok: false, message: `must be at most ${f.max}${unit}` }
      return { ok: true, value: n }
    }
  }
}

/** Every knob's value, or per-field messages when any is unreadable. */
export function readKnobs(
  fields: readonly KnobField[],
  values: KnobFormValues,
): { ok: true; params: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const params: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const f of fields) {
    const r = readKnob(f, values[f.name])
    if (r.ok) params[f.name] = r.value
    else errors[f.name] = r.message
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, params }
}
