import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { policyApiDts } from '../../../../../../scripts/policy-api-dts'

const ROOT = join(__dirname, '../../../../../..')

describe('resources/policy-api.d.ts', () => {
  it('is what scripts/gen-policy-api-dts.ts makes from the engine today (regenerate if not)', () => {
    expect(readFileSync(join(ROOT, 'resources/policy-api.d.ts'), 'utf8')).toBe(policyApiDts(ROOT))
  })
})
