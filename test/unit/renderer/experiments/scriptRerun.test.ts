import { describe, expect, it } from 'vitest'
import type { UserPolicySummary } from '../../../../shared/user-policies'
import { planScriptRerun } from '../../../../renderer/src/features/experiments/model/scriptRerun'

const saved = (name: string, sha: string) => ({ name, sourceSha256: sha }) as UserPolicySummary

describe('planScriptRerun', () => {
  it('reuses a saved policy with the same source', () => {
    expect(
      planScriptRerun('./x/mine.js', 'f'.repeat(64), 3, [saved('other.js', 'f'.repeat(64))]),
    ).toEqual({
      name: 'other.js',
      reuse: true,
    })
  })
  it('keeps the file name when free, adds the run id when taken, never collides', () => {
    expect(planScriptRerun('C:\\p\\my policy.ts', 'a'.repeat(64), 9, [])).toEqual({
      name: 'my-policy.ts',
      reuse: false,
    })
    const lib = [saved('mine.js', 'b'.repeat(64)), saved('mine-run9.js', 'c'.repeat(64))]
    expect(planScriptRerun('mine.js', 'a'.repeat(64), 9, lib)).toEqual({
      name: 'mine-run9-1.js',
      reuse: false,
    })
  })
  it('makes a valid library name from an odd file name', () => {
    const { name } = planScriptRerun('../__.mjs', undefined, 1, [])
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*\.(js|ts)$/)
  })
})
