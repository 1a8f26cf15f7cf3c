import { z } from 'zod'
import type { PolicyInfo, PolicyKnob } from '../../../shared/api/contract'
import type { PolicyDefinition } from './api'
import { firstTouch } from './first-touch'
import { interleave } from './interleave'
import { numaBalancingTiering } from './numa-balancing-tiering'
import { oracle } from './oracle'
import { weightedInterleave } from './weighted-interleave'

/** Every shipped policy, in the order the UI lists them. */
export const POLICIES: readonly PolicyDefinition[] = [
  firstTouch,
  interleave,
  weightedInterleave,
  numaBalancingTiering,
  oracle,
]

export function findPolicy(id: string): PolicyDefinition | undefined {
  return POLICIES.find((p) => p.id === id)
}

interface JsonSchemaProp {
  type?: string | string[]
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  enum?: unknown[]
}

function knobType(p: JsonSchemaProp): PolicyKnob['type'] {
  if (p.enum) return 'enum'
  const t = Array.isArray(p.type) ? p.type[0] : p.type
  if (t === 'integer' || t === 'number' || t === 'boolean' || t === 'string' || t === 'object')
    return t
  return 'object'
}

/** Knobs as the UI and `tierlab policies --json` show them, from the zod schema and the table. */
export function policyInfo(def: PolicyDefinition): PolicyInfo {
  const schema = z.toJSONSchema(def.knobs, { io: 'input' }) as {
    properties?: Record<string, JsonSchemaProp>
  }
  const props = schema.properties ?? {}
  const knobs: PolicyKnob[] = Object.keys(def.knobs.shape).map((name) => {
    const p = props[name] ?? {}
    const meta = def.knobTable[name]
    const knob: PolicyKnob = {
      name,
      description: meta?.description ?? '',
      unit: meta?.unit ?? '',
      type: knobType(p),
      default: p.default,
    }
    // JSON Schema has separate keywords for bounds the value may not equal (.positive() is
    // exclusiveMinimum 0): keep the bound and say it is exclusive, never list it as allowed.
    if (p.minimum !== undefined) knob.min = p.minimum
    else if (p.exclusiveMinimum !== undefined) {
      knob.min = p.exclusiveMinimum
      knob.minExclusive = true
    }
    if (p.maximum !== undefined) knob.max = p.maximum
    else if (p.exclusiveMaximum !== undefined) {
      knob.max = p.exclusiveMaximum
      knob.maxExclusive = true
    }
    if (p.enum) knob.values = p.enum.map(String)
    return knob
  })
  return { id: def.id, name: def.name, description: def.description, knobs }
}

export function listPolicies(): PolicyInfo[] {
  return POLICIES.map(policyInfo)
}
