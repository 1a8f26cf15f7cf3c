import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listPolicyInfos } from '../../../../../main/services'
import { tempDb, type TempDb } from '../fixtures'
import { createFakeWorker, fakeName } from './fake-worker'
import { experimentDoc, runService } from './helpers'

let db: TempDb
let open: Array<{ close(): void }> = []
beforeEach(() => {
  db = tempDb()
})
afterEach(() => {
  for (const s of open) s.close()
  open = []
  db.cleanup()
})

function service() {
  const s = runService(db.dbPath, { createWorker: createFakeWorker, poolSize: 1 })
  open.push(s)
  return s
}

const numabDefaults = () =>
  Object.fromEntries(
    listPolicyInfos()
      .find((p) => p.id === 'numa-balancing-tiering')!
      .knobs.map((k) => [k.name, k.default]),
  )

describe('archived knob values', () => {
  it('are the effective values, so a default set explicitly and a default left out compare equal', async () => {
    const { service: s, store } = service()
    const explicit = experimentDoc(fakeName('finish', 1, 1)) // hotThresholdMs: 1000 (the default)
    const implicit = {
      ...experimentDoc(fakeName('finish', 1, 1)),
      policy: { id: 'numa-balancing-tiering', params: { scanSizeMB: 512 } },
    }
    const a = await s.handlers['runs.start']({ experiment: explicit })
    const b = await s.handlers['runs.start']({ experiment: implicit })
    const expA = store.runs.get(a.id)!.experiment
    const expB = store.runs.get(b.id)!.experiment
    expect(expA.policy.params).toEqual(numabDefaults())
    expect(expB.policy.params).toEqual({ ...numabDefaults(), scanSizeMB: 512 })
    // What Compare's experiment diff sees: only the knob that really differed, no "1000 vs —".
    const differing = Object.keys(expB.policy.params).filter(
      (k) => JSON.stringify(expA.policy.params[k]) !== JSON.stringify(expB.policy.params[k]),
    )
    expect(differing).toEqual(['scanSizeMB'])
    // Export bundles carry them.
    const bundle = JSON.parse((await s.handlers['runs.export']({ ids: [b.id] })).text) as {
      runs: Array<{ experiment: { policy: { params: unknown } } }>
    }
    expect(bundle.runs[0].experiment.policy.params).toEqual(expB.policy.params)
    await s.queue.settled(b.id)
  })

  it("fill each sweep variant's own knobs, also when the sweep changes the policy", async () => {
    const { service: s, store } = service()
    const byThreshold = await s.handlers['runs.sweep']({
      experiment: experimentDoc(fakeName('finish', 1, 1)),
      knob: 'policy.params.hotThresholdMs',
      values: [10, 100],
    })
    expect(byThreshold.map((r) => store.runs.get(r.id)!.experiment.policy.params)).toEqual([
      { ...numabDefaults(), hotThresholdMs: 10 },
      { ...numabDefaults(), hotThresholdMs: 100 },
    ])
    const byPolicy = await s.handlers['runs.sweep']({
      experiment: {
        ...experimentDoc(fakeName('finish', 1, 1)),
        policy: { id: 'first-touch', params: {} },
      },
      knob: 'policy.id',
      values: ['first-touch', 'interleave'],
    })
    expect(byPolicy.map((r) => store.runs.get(r.id)!.experiment.policy)).toEqual([
      { id: 'first-touch', params: {} },
      { id: 'interleave', params: { nodes: [] } },
    ])
    for (const r of [...byThreshold, ...byPolicy]) await s.queue.settled(r.id)
  })
})
