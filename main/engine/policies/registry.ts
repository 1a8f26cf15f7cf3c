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

/**
 * A set of policies a run may name, passed to the simulation as a value: the built-in one by the
 * services, a larger one by tests or by user policies (same door for all).
 */
export interface PolicyRegistry {
  find(id: string): PolicyDefinition | undefined
  list(): readonly PolicyDefinition[]
}

/** A registry over the given definitions; a later definition with the same id wins. */
export function createRegistry(defs: readonly PolicyDefinition[]): PolicyRegistry {
  const byId = new Map<string, PolicyDefinition>()
  for (const d of defs) byId.set(d.id, d)
  const list = [...byId.values()]
  return { find: (id) => byId.get(id), list: () => list }
}

/** The shipped policies. */
export const BUILTIN_POLICIES: PolicyRegistry = createRegistry(POLICIES)

export function findPolicy(id: string): PolicyDefinition | undefined {
  return BUILTIN_POLICIES.find(id)
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
    const min = p.minimum ?? p.exclusiveMinimum
    const max = p.maximum ?? p.exclusiveMaximum
    if (min !== undefined) knob.min = min
    if (max !== undefined) knob.max = max
    if (p.enum) knob.values = p.enum.map(String)
    return knob
  })
  return { id: def.id, name: def.name, description: def.description, knobs }
}

export function listPolicies(registry: PolicyRegistry = BUILTIN_POLICIES): PolicyInfo[] {
  return registry.list().map(policyInfo)
}
