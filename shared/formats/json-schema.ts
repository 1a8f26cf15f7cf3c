import { z } from 'zod'
import { topologySchema } from './topology'
import { workloadSchema } from './workload'
import { experimentSchema, policyRefSchema } from './experiment'
import { studySchema } from './study'
import { formatTag, type FormatKind } from './version'

/**
 * JSON Schemas generated from the zod schemas (the source of truth), shipped in resources/schemas
 * so editors can complete and check the files users write. `io: 'input'` describes what a file
 * may contain (fields with defaults are optional).
 */
const sources = {
  topology: topologySchema,
  workload: workloadSchema,
  experiment: experimentSchema,
  study: studySchema,
} as const satisfies Partial<Record<FormatKind, z.ZodType>>

export type SchemaKind = keyof typeof sources
export const SCHEMA_KINDS = Object.keys(sources) as SchemaKind[]

/** A policy's knobs as JSON Schema (from the engine's registry; shared/ cannot import it). */
export interface PolicyKnobsSchema {
  id: string
  name: string
  description: string
  /** The knobs' object schema, each knob with its title (label), description and unit. */
  knobs: Record<string, unknown>
}

/**
 * The experiment's `policy` with each known policy's knobs, so an editor completes and checks
 * `params` and shows each knob's label, unit and description. Other ids (policies this build does
 * not ship) keep free-form params.
 */
function policyRefJsonSchema(policies: readonly PolicyKnobsSchema[]): Record<string, unknown> {
  const ids = policies.map((p) => p.id)
  const known = policies.map((p) => {
    const { $schema: _, ...knobs } = p.knobs
    return {
      title: p.name,
      description: p.description,
      type: 'object',
      properties: { id: { const: p.id }, params: { ...knobs, default: {} } },
      required: ['id'],
      additionalProperties: false,
    }
  })
  const other = {
    type: 'object',
    properties: {
      id: { type: 'string', minLength: 1, not: { enum: ids } },
      params: { type: 'object', default: {} },
    },
    required: ['id'],
    additionalProperties: false,
  }
  // A user script (`script`, its archived `source`, `params`, sandbox `limits`), as the format
  // reads it.
  const ref = z.toJSONSchema(policyRefSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, unknown>
  }
  const { id: _id, ...scriptProperties } = ref.properties
  const script = {
    title: 'A user policy script',
    type: 'object',
    properties: scriptProperties,
    required: ['script'],
    additionalProperties: false,
  }
  return {
    description:
      'A policy id from `tierlab policies` and its knob values, or a user policy script (a path relative to the experiment, or library:NAME).',
    anyOf: [...known, other, script],
  }
}

export function jsonSchemaFor(
  kind: SchemaKind,
  options: { policies?: readonly PolicyKnobsSchema[] } = {},
): Record<string, unknown> {
  const schema = z.toJSONSchema(sources[kind], { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  const properties = (schema.properties ?? {}) as Record<string, unknown>
  if (kind === 'experiment' && options.policies) {
    properties.policy = policyRefJsonSchema(options.policies)
  }
  return {
    ...schema,
    $id: `https://tierlab.invalid/schemas/${kind}.v1.json`,
    title: `Tierlab ${kind} (${formatTag(kind)})`,
    properties: {
      ...properties,
      format: {
        type: 'string',
        pattern: `^tierlab\\.${kind}/v1(\\.[0-9]+)?$`,
        default: formatTag(kind),
      },
    },
  }
}
