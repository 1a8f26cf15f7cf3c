import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../../../main/store'
import { makeTempDir, steppingClock } from './helpers'

const input = (source: string, sha: string, name = 'promote.js') => ({
  name,
  language: 'js' as const,
  source,
  sourceSha256: sha.padEnd(64, '0'),
  title: 'promote sampled',
  description: 'promotes sampled pages',
})

describe('user policy library (schema v3)', () => {
  let tmp: ReturnType<typeof makeTempDir>
  let store: Store
  beforeEach(() => {
    tmp = makeTempDir()
    store = openStore(path.join(tmp.dir, 'db.sqlite'), { clock: steppingClock() })
  })
  afterEach(() => {
    store.close()
    tmp.cleanup()
  })

  it('versions every changed save and keeps the old source findable by its hash', () => {
    const v1 = store.userPolicies.save(input('export default 1', 'a'))
    expect(v1.version).toBe(1)
    const same = store.userPolicies.save(input('export default 1', 'a'))
    expect(same.version).toBe(1)
    const v2 = store.userPolicies.save(input('export default 2', 'b'))
    expect(v2.version).toBe(2)
    expect(v2.source).toBe('export default 2')
    expect(store.userPolicies.get('promote.js', 1)?.source).toBe('export default 1')
    expect(store.userPolicies.findBySha('a'.padEnd(64, '0'))?.version).toBe(1)
    expect(store.userPolicies.list().map((p) => [p.name, p.version])).toEqual([['promote.js', 2]])
  })

  it('refuses a language change under the same name and deletes all versions', () => {
    store.userPolicies.save(input('x', 'a'))
    expect(() => store.userPolicies.save({ ...input('y', 'b'), language: 'ts' })).toThrow(
      /is js; save ts under another name/,
    )
    expect(store.userPolicies.delete('promote.js')).toBe(true)
    expect(store.userPolicies.get('promote.js')).toBeNull()
    expect(store.userPolicies.findBySha('a'.padEnd(64, '0'))).toBeNull()
    expect(store.userPolicies.delete('promote.js')).toBe(false)
  })

  it('survives reopening (the library is in the shared database file)', () => {
    store.userPolicies.save(input('export default 1', 'a', 'keep.ts'))
    store.close()
    store = openStore(path.join(tmp.dir, 'db.sqlite'))
    expect(store.userPolicies.get('keep.ts')?.source).toBe('export default 1')
  })
})
