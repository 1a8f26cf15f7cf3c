// Writes resources/schemas/<kind>.v1.json from the zod schemas. `npm run schemas`; a unit test
// fails when the committed files differ from what this generates.
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { SCHEMA_KINDS, jsonSchemaFor } from '../shared/formats/json-schema'
import { policyKnobsSchemas } from '../main/engine'

const dir = join(import.meta.dirname, '..', 'resources', 'schemas')
mkdirSync(dir, { recursive: true })
for (const kind of SCHEMA_KINDS) {
  const file = join(dir, `${kind}.v1.json`)
  // The experiment's policy params are described by each policy's knob schema.
  const schema = jsonSchemaFor(kind, { policies: policyKnobsSchemas() })
  writeFileSync(file, JSON.stringify(schema, null, 2) + '\n')
  console.log(`wrote ${file}`)
}
