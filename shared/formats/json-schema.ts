import { z } from 'zod'
import { topologySchema } from './topology'
import { workloadSchema } from './workload'
import { experimentSchema } from './experiment'
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
} as const satisfies Partial<Record<FormatKind, z.ZodType>>

export type SchemaKind = keyof typeof sources
export const SCHEMA_KINDS = Object.keys(sources) as SchemaKind[]

export function jsonSchemaFor(kind: SchemaKind): Record<string, unknown> {
  const schema = z.toJSONSchema(sources[kind], { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  const properties = (schema.properties ?? {}) as Record<string, unknown>
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
