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
  | {
      kind: 'number'
      integer: boolean
      min?: number
      /** Values must be greater than this (a knob that refuses its bound, e.g. 0). */
      exclusiveMin?: number
      max?: number
      exclusiveMax?: number
      defaultValue: string
    }
  | { kind: 'boolean'; defaultValue: boolean }
  | { kind: 'select'; options: string[]; defaultValue: string }
  | { kind: 'text'; defaultValue: string }
  | { kind: 'json'; defaultValue: string }
)

/** What a form holds per field: text for number/text/json/select, a flag for booleans. */
export type KnobFormValue = string | boolean
export type KnobFormValues = Record<string, KnobFormValue>

function rangeText(k: PolicyKnob): string {
  const unit = k.unit ? ` ${k.unit}` : ''
  const low =
    k.min !== undefined
      ? `at least ${k.min}`
      : k.exclusiveMin !== undefined
        ? `more than ${k.exclusiveMin}`
        : ''
  const high =
    k.max !== undefined
      ? `at most ${k.max}`
      : k.exclusiveMax !== undefined
        ? `less than ${k.exclusiveMax}`
        : ''
  if (k.min !== undefined && k.max !== undefined) return `${k.min}–${k.max}${unit}`
  return [low, high].filter(Boolean).join(' and ') + (low || high ? unit : '')
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
  // Label, unit and description come from the knob's schema (policies.list); none is derived here.
  const base = { name: k.name, label: k.label, unit: k.unit, help }
  switch (k.type) {
    case 'number':
    case 'integer':
      return {
        ...base,
        kind: 'number',
        integer: k.type === 'integer',
        min: k.min,
        exclusiveMin: k.exclusiveMin,
        max: k.max,
        exclusiveMax: k.exclusiveMax,
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

/**
 * Form values from a run's params (prefill). Runs since engine 0.3 archive every knob's effective
 * value, so the form shows exactly what ran; a knob an older run did not set shows today's default.
 */
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
      if (f.exclusiveMin !== undefined && n <= f.exclusiveMin)
        return { ok: false, message: `must be more than ${f.exclusiveMin}${unit}` }
      if (f.max !== undefined && n > f.max)
        return { ok: false, message: `must be at most ${f.max}${unit}` }
      if (f.exclusiveMax !== undefined && n >= f.exclusiveMax)
        return { ok: false, message: `must be less than ${f.exclusiveMax}${unit}` }
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
