/**
 * Generates resources/policy-api.d.ts: the policy API as user scripts see it, one self-contained
 * declaration file (namespace TierlabPolicy) for the editor's completion and `tierlab
 * check-policy`. Run: npx tsx scripts/gen-policy-api-dts.ts (a test fails when it is stale).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { policyApiDts } from './policy-api-dts'

const root = join(import.meta.dirname, '..')
writeFileSync(join(root, 'resources', 'policy-api.d.ts'), policyApiDts(root))
console.log('wrote resources/policy-api.d.ts')
