import { z } from 'zod'
import { knob } from '../knob'
import { PolicyScriptError } from './errors'

/**
 * A script's knobs as it declares them (`{ period: { default: 997, min: 1, unit: 'accesses',
 * description: '…' } }`), turned into the zod schema a built-in definition has, each knob described
 * on it with `knob()`, so the same form, validation and `tierlab policies` output serve both.
 */
const knobDecl = z.strictObject({
  default: z.union([z.number(), z.boolean(), z.string()]),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
  values: z.array(z.string()).min(1).optional(),
  unit: z.string().max(40).optional(),
  description: z.string().max(1000).optional(),
})

export function scriptKnobs(fileName: string, declared: unknown): z.ZodObject {
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared))
    throw new PolicyScriptError(
      fileName,
      'its `knobs` is not an object; declare knobs as { name: { default, min, max, unit, description } }',
    )
  const shape: Record<string, z.ZodType> = {}
  for (const [name, raw] of Object.entries(declared as Record<string, unknown>)) {
    if (typeof raw !== 'object' || raw === null || !('default' in raw) || raw.default === null)
      throw new PolicyScriptError(
        fileName,
        `knob "${name}" has no default; add default: <value> to it (every knob needs one so an experiment may leave it out)`,
      )
    const res = knobDecl.safeParse(raw)
    if (!res.success) {
      const issue = res.error.issues[0]
      const where = issue.path.length ? `.${issue.path.join('.')}` : ''
      throw new PolicyScriptError(
        fileName,
        `knob "${name}${where}" ${issue.message.replace(/^Invalid input: /, '')}; a knob is { default, min?, max?, integer?, values?, unit?, description? }`,
      )
    }
    const k = res.data
    let type: z.ZodType
    if (typeof k.default === 'number') {
      let n = z.number()
      if (k.integer) n = n.int()
      if (k.min !== undefined) n = n.min(k.min)
      if (k.max !== undefined) n = n.max(k.max)
      const ok = n.safeParse(k.default)
      if (!ok.success)
        throw new PolicyScriptError(
          fileName,
          `knob "${name}": its default ${k.default} is outside its own min/max; change one of them`,
        )
      type = n.default(k.default)
    } else if (typeof k.default === 'boolean') {
      type = z.boolean().default(k.default)
    } else if (k.values) {
      if (!k.values.includes(k.default))
        throw new PolicyScriptError(
          fileName,
          `knob "${name}": its default "${k.default}" is not one of its values ${k.values.join(', ')}`,
        )
      type = z.enum(k.values as [string, ...string[]]).default(k.default)
    } else {
      type = z.string().default(k.default)
    }
    shape[name] = knob(type, { label: name, unit: k.unit ?? '', description: k.description ?? '' })
  }
  return z.strictObject(shape)
}
