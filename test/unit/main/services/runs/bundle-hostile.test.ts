import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_BUNDLE_BYTES } from '../../../../../shared/api/contract'
import { DEFAULT_MAX_BODY_BYTES } from '../../../../../main/host/web'
import { tempDb, type TempDb } from '../fixtures'
import { createFakeWorker, fakeName } from './fake-worker'
import { experimentDoc, runService } from './helpers'

// Hostile bundles (issue 14, hostile hour 4): each is refused as invalid input naming the field,
// and nothing is stored. A bundle is held to the rules the API applies to its own inputs.

let a: TempDb
let b: TempDb
let open: Array<{ close(): void }> = []
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- exported JSON, edited freely into hostile shapes
type Json = any
let bundle: {
  runs: Array<Record<string, Json>>
  [k: string]: unknown
}
let dst: ReturnType<typeof runService>

beforeEach(async () => {
  a = tempDb()
  b = tempDb()
  const src = runService(a.dbPath, { createWorker: createFakeWorker, poolSize: 1 })
  open.push(src)
  const run = await src.service.handlers['runs.start']({
    experiment: experimentDoc(fakeName('finish', 2, 1)),
  })
  await src.service.queue.settled(run.id)
  bundle = JSON.parse((await src.service.handlers['runs.export']({ ids: [run.id] })).text)
  dst = runService(b.dbPath, { createWorker: createFakeWorker, poolSize: 1 })
  open.push(dst)
})
afterEach(() => {
  for (const s of open) s.close()
  open = []
  a.cleanup()
  b.cleanup()
})

async function refusedText(text: string, message: RegExp): Promise<void> {
  await expect(dst.service.handlers['runs.import']({ text })).rejects.toMatchObject({
    code: 'invalid-input',
    message: expect.stringMatching(message),
  })
  expect(dst.store.runs.count()).toBe(0)
}

async function refused(edit: (run: Record<string, Json>) => void, message: RegExp): Promise<void> {
  const bad = structuredClone(bundle)
  edit(bad.runs[0])
  await refusedText(JSON.stringify(bad), message)
}

describe('bundle import refuses what the API would refuse', () => {
  it('imports the untouched bundle (the cases below differ from it in one field)', async () => {
    const res = await dst.service.handlers['runs.import']({ text: JSON.stringify(bundle) })
    expect(res.imported).toHaveLength(1)
  })

  it('a heatmap whose value count is not times × bins', async () => {
    await refused((r) => {
      r.heatmap = { t: [0, 1], rankBins: 3, tiers: [0, 1], values: [0, 1, 0, 1, 0] }
    }, /runs\[0\]\.heatmap\.values has 5 values for 2 times × 3 bins = 6 cells/)
  })

  it('policy params nested 5,000 deep', async () => {
    // Written as text: JSON.stringify itself overflows the stack on such an object.
    const bad = structuredClone(bundle)
    bad.runs[0].experiment.policy.params = 'DEEP'
    const deep = '{"x":'.repeat(5000) + '{}' + '}'.repeat(5000)
    await refusedText(
      JSON.stringify(bad).replace('"DEEP"', deep),
      /runs\[0\]\.experiment\.policy\.params(\.x)+ is nested more than 64 levels deep/,
    )
  })

  it('a policy id no policy has', async () => {
    await refused((r) => {
      r.experiment.policy.id = 'made-up'
      r.policyId = 'made-up'
    }, /runs\[0\]\.experiment\.policy\.id names "made-up", which is not a policy/)
  })

  it('knobs the policy does not take', async () => {
    await refused((r) => {
      r.experiment.policy.params = { hotThresholdMs: -5 }
    }, /runs\[0\]\.experiment\.policy\.params/)
  })

  it('a policy, topology or workload name that is not the experiment’s', async () => {
    await refused((r) => {
      r.policyId = 'oracle'
    }, /runs\[0\]\.policyId is "oracle" but the experiment runs "numa-balancing-tiering"/)
    await refused((r) => {
      r.topologyName = 'Forged machine'
    }, /runs\[0\]\.topologyName is "Forged machine" but the experiment's topology is/)
    await refused((r) => {
      r.workloadName = 'Forged workload'
    }, /runs\[0\]\.workloadName is "Forged workload" but the experiment's workload is/)
  })

  it('a createdAt that is not a date', async () => {
    await refused((r) => {
      r.timings.createdAt = 'not a date'
    }, /runs\[0\]\.timings\.createdAt/)
    await refused((r) => {
      r.timings.finishedAt = '2026-13-45T99:00:00Z'
    }, /runs\[0\]\.timings\.finishedAt/)
  })

  it('more tags, or longer ones, than runs.setTags takes', async () => {
    await refused((r) => {
      r.tags = Array.from({ length: 33 }, (_, i) => `t${i}`)
    }, /runs\[0\]\.tags/)
    await refused((r) => {
      r.tags = ['x'.repeat(61)]
    }, /runs\[0\]\.tags\[0\]/)
  })
})

describe('bundle size', () => {
  it('export refuses a bundle larger than import takes, and import refuses it too', async () => {
    const text = JSON.stringify(bundle)
    const bytes = Buffer.byteLength(text)
    const small = runService(b.dbPath + '-small', {
      createWorker: createFakeWorker,
      poolSize: 1,
      maxBundleBytes: bytes - 1,
    })
    open.push(small)
    await expect(small.service.handlers['runs.import']({ text })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^bundle: is .* MiB; Tierlab imports bundles of at most/),
    })
    // The same limit on the export side: a run whose bundle would not import is not exported.
    const src = runService(a.dbPath, { createWorker: createFakeWorker, maxBundleBytes: bytes - 1 })
    open.push(src)
    await expect(src.service.handlers['runs.export']({ ids: [1] })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/export fewer runs at a time/),
    })
  })

  it('the web host takes the largest bundle export writes, escaped as runs.import input', () => {
    // Worst case: every byte of the bundle text is a quote or backslash, which JSON doubles.
    expect(DEFAULT_MAX_BODY_BYTES).toBeGreaterThanOrEqual(
      2 * MAX_BUNDLE_BYTES + JSON.stringify({ text: '' }).length,
    )
    // A real bundle grows far less than that when wrapped.
    const text = JSON.stringify(bundle)
    const body = Buffer.byteLength(JSON.stringify({ text }))
    expect(body).toBeLessThan(2 * Buffer.byteLength(text))
  })
})
