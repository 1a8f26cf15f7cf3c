import type { z } from 'zod'

declare module 'zod' {
  interface GlobalMeta {
    /** Display unit of a policy knob: 'ms', 'MB/s', 'node ids'; '' when it has none. */
    unit?: string
  }
}

/** How a knob is shown: the form's label, its unit, and the help text. */
export interface KnobDescription {
  label: string
  unit: string
  description: string
}

/**
 * A policy knob described once, on its zod schema (zod 4 `.meta`): the label becomes the JSON
 * Schema `title`, and title, description and unit flow from there into resources/schemas, the
 * renderer's form and `tierlab policies`. Apply it last, after `.default()`, so the metadata sits
 * on the schema the object holds.
 */
export function knob<T extends z.ZodType>(schema: T, d: KnobDescription): T {
  return schema.meta({ title: d.label, description: d.description, unit: d.unit })
}
