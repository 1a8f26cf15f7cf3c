import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore } from '../../../../main/store'
import { topologySchema } from '../../../../shared/formats'
import { tempDb, topologyDoc, type TempDb } from '../services/fixtures'
import { ROOT, runCli } from './run-cli'

// A command that fails never touches the database (issue 14, hostile hour 5): it is not created
// for a failed run or sweep, and an existing one is left as it was.

let dir: TempDb
beforeEach(() => {
  dir = tempDb()
})
afterEach(() => dir.cleanup())

/** The shipped first-touch example with some fields replaced, written to the temp folder. */
function exampleFile(over: Record<string, unknown>): string {
  const doc = JSON.parse(
    readFileSync(join(ROOT, 'resources', 'examples', 'kv-store-first-touch.json'), 'utf8'),
  )
  const file = join(dir.dir, 'experiment.json')
  writeFileSync(file, JSON.stringify({ ...doc, ...over }))
  return file
}

describe('a failed command leaves no database behind', () => {
  it('sweep with a knob the policy does not have: exit 2, no file, no folder', async () => {
    const db = join(dir.dir, 'new', 'folder', 'tierlab.db')
    const r = await runCli([
      'sweep',
      exampleFile({}),
      '--knob',
      'policy.params.nope',
      '--values',
      '1,2',
      '--db',
      db,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/has no knob "nope"/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(join(dir.dir, 'new'))).toBe(false)
  })

  it('run of an experiment that would fail late (exact mode over budget): exit 2, no file', async () => {
    const db = join(dir.dir, 'tierlab.db')
    const r = await runCli(['run', exampleFile({ mode: 'exact', durationS: 3600 }), '--db', db])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/exact mode would draw about .* accesses, more than its limit/)
    expect(existsSync(db)).toBe(false)
    expect(existsSync(`${db}-wal`)).toBe(false)
  })

  it('run of a GPU policy on a machine without a GPU: exit 2, one sentence, no file', async () => {
    const db = join(dir.dir, 'tierlab.db')
    const r = await runCli([
      'run',
      exampleFile({ policy: { id: 'gpu-access-counters' } }),
      '--db',
      db,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/policy "gpu-access-counters": topology ".*" has no GPU/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(db)).toBe(false)
  })

  it('keeps an existing database that a failed sweep opened', async () => {
    const db = join(dir.dir, 'kept.db')
    const store = openStore(db)
    store.topologies.insert(topologySchema.parse(topologyDoc()))
    store.close()
    const r = await runCli([
      'sweep',
      exampleFile({}),
      '--knob',
      'policy.params.nope',
      '--values',
      '1',
      '--db',
      db,
    ])
    expect(r.code).toBe(2)
    const reopened = openStore(db)
    expect(reopened.topologies.list()).toHaveLength(1)
    reopened.close()
  })

  it('analyze refuses a topology beyond the documented limit with exit 2', async () => {
    const memory = {
      capacityGiB: 16,
      readLatencyNs: 100,
      writeLatencyNs: 100,
      readBandwidthGBps: 100,
      writeBandwidthGBps: 100,
    }
    const n = 10_000
    const file = join(dir.dir, 'chain.json')
    writeFileSync(
      file,
      JSON.stringify({
        format: 'tierlab.topology/v1',
        name: 'chain',
        components: Array.from({ length: n }, (_, i) => ({
          id: `s${i}`,
          kind: 'socket',
          cores: 8,
          memory,
        })),
        links: Array.from({ length: n - 1 }, (_, i) => ({
          a: `s${i}`,
          b: `s${i + 1}`,
          kind: 'upi',
          latencyNs: 50,
          bandwidthGBps: 60,
        })),
      }),
    )
    const r = await runCli(['analyze', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/components has more than 256 components, the most Tierlab analyses/)
  })
})
