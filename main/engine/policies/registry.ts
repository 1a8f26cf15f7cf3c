import { z } from 'zod'
import type { PolicyInfo, PolicyKnob } from '../../../shared/api/contract'
import type { PolicyKnobsSchema } from '../../../shared/formats/json-schema'
import type { PolicyDefinition } from './api'
import { firstTouch } from './first-touch'
import { hemem } from './hemem'
import { gpuAccessCounters } from './gpu-access-counters'
import { interleave } from './interleave'
import { numaBalancing } from './numa-balancing'
import { memtis } from './memtis'
import { numaBalancingTiering } from './numa-balancing-tiering'
import { oracle } from './oracle'
import { pghot } from './pghot/pghot'
import { weightedInterleave } from './weighted-interleave'
import { colloid } from './colloid'
import { nomad } from './nomad'

/** Every shipped policy, in the order the UI lists them. */
export const POLICIES: readonly PolicyDefinition[] = [
  firstTouch,
  interleave,
  weightedInterleave,
  numaBalancingTiering,
  oracle,
  numaBalancing,
  colloid,
  nomad,
  memtis,
  hemem,
  pghot,
  gpuAccessCounters,
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
  title?: string
  description?: string
  unit?: string
}

function knobType(p: JsonSchemaProp): PolicyKnob['type'] {
  if (p.enum) return 'enum'
  const t = Array.isArray(p.type) ? p.type[0] : p.type
  if (t === 'integer' || t === 'number' || t === 'boolean' || t === 'string' || t === 'object')
    return t
  return 'object'
}

/**
 * The knobs' JSON Schema: type, default, range and the label (title), unit and description each
 * knob declares on its zod schema. The one description of a knob: `policies.list`, `tierlab
 * policies`, the renderer's form and resources/schemas all read it from here.
 */
export function knobsJsonSchema(def: PolicyDefinition): {
  properties?: Record<string, JsonSchemaProp>
} & Record<string, unknown> {
  return z.toJSONSchema(def.knobs, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProp>
  }
}

/** Knobs as the UI and `tierlab policies --json` show them, from the knob schema. */
export function policyInfo(def: PolicyDefinition): PolicyInfo {
  const props = knobsJsonSchema(def).properties ?? {}
  const knobs: PolicyKnob[] = Object.keys(def.knobs.shape).map((name) => {
    const p = props[name] ?? {}
    const knob: PolicyKnob = {
      name,
      label: p.title ?? name,
      description: p.description ?? '',
      unit: p.unit ?? '',
      type: knobType(p),
      default: p.default,
    }
    // A knob that refuses its bound (`.positive()`: exclusiveMinimum 0) must not list it as allowed.
    if (p.minimum !== undefined) knob.min = p.minimum
    if (p.exclusiveMinimum !== undefined) knob.exclusiveMin = p.exclusiveMinimum
    if (p.maximum !== undefined) knob.max = p.maximum
    if (p.exclusiveMaximum !== undefined) knob.exclusiveMax = p.exclusiveMaximum
    if (p.enum) knob.values = p.enum.map(String)
    return knob
  })
  return { id: def.id, name: def.name, description: def.description, knobs }
}

/** Every shipped policy's knob schema, for resources/schemas/experiment.v1.json. */
export function policyKnobsSchemas(
  registry: PolicyRegistry = BUILTIN_POLICIES,
): PolicyKnobsSchema[] {
  return registry.list().map((def) => ({
    id: def.id,
    name: def.name,
    description: def.description,
    knobs: knobsJsonSchema(def),
  }))
}

export function listPolicies(registry: PolicyRegistry = BUILTIN_POLICIES): PolicyInfo[] {
  return registry.list().map(policyInfo)
}
