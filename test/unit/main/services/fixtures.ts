import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDocument } from '../../../../shared/formats'
import type { Experiment } from '../../../../shared/formats'
import { ENGINE_VERSION } from '../../../../main/engine/version'
import { openServices, resolveResourcesDir, type Services } from '../../../../main/services'
import { openStore, type Store } from '../../../../main/store'

const dram = {
  capacityGiB: 64,
  media: 'DDR5',
  readLatencyNs: 110,
  writeLatencyNs: 110,
  readBandwidthGBps: 300,
  writeBandwidthGBps: 300,
}
const cxl = { ...dram, capacityGiB: 128, readLatencyNs: 170, writeLatencyNs: 170 }
const cxlBw = { readBandwidthGBps: 36, writeBandwidthGBps: 36 }

/** One 8-core DDR5 socket and a 128 GiB CXL expander on a Gen5 x8 link. */
export function topologyDoc(over: Record<string, unknown> = {}): Record<string, unknown> {
  // A fresh copy each time: tests break documents in place.
  return structuredClone({
    format: 'tierlab.topology/v1',
    name: 'test machine',
    components: [
      { id: 's0', kind: 'socket', cores: 8, memory: dram },
      { id: 'c0', kind: 'cxl-memory', memory: { ...cxl, ...cxlBw } },
    ],
    links: [{ a: 's0', b: 'c0', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 }],
    ...over,
  })
}

/** One process on s0 touching one 1 GiB region uniformly. */
export function workloadDoc(over: Record<string, unknown> = {}): Record<string, unknown> {
  return structuredClone({
    format: 'tierlab.workload/v1',
    name: 'w',
    regions: [{ id: 'r', sizeGiB: 1, firstTouch: 'p' }],
    processes: [
      {
        id: 'p',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 10,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0,
        phases: [
          { durationS: 1, accesses: [{ region: 'r', share: 1, pattern: { kind: 'uniform' } }] },
        ],
      },
    ],
    ...over,
  })
}

export function experiment(): Experiment {
  const parsed = parseDocument('experiment', {
    format: 'tierlab.experiment/v1',
    name: 'exp',
    topology: topologyDoc(),
    workload: workloadDoc(),
    policy: { id: 'none' },
    durationS: 1,
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.value
}

/** A finished run and a queued one, written straight through the store. */
export function seedRuns(store: Store): { doneId: number; queuedId: number } {
  const exp = experiment()
  const base = {
    experiment: exp,
    engineVersion: ENGINE_VERSION,
    seed: 1,
    policyId: 'none',
    topologyName: 'test machine',
    workloadName: 'w',
  }
  const done = store.runs.create({ ...base, name: 'finished run' })
  store.runs.markRunning(done.id)
  store.runs.finish(done.id, {
    summary: { throughputOpsPerS: 1000 },
    processes: [{ id: 'p', throughputOpsPerS: 1000, meanLatencyNs: 200 }],
    series: [],
    heatmap: null,
    wallMs: 5,
  })
  const queued = store.runs.create({ ...base, name: 'queued run' })
  return { doneId: done.id, queuedId: queued.id }
}

export interface TempDb {
  dir: string
  dbPath: string
  cleanup(): void
}

export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'tierlab-test-'))
  return {
    dir,
    dbPath: join(dir, 'tierlab.db'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** Services on a fresh database file, with two runs already archived. */
export function servicesWithRuns(db: TempDb): {
  services: Services
  doneId: number
  queuedId: number
} {
  const store = openStore(db.dbPath)
  const ids = seedRuns(store)
  store.close()
  const services = openServices({
    dbPath: db.dbPath,
    resourcesDir: resolveResourcesDir(),
    host: 'web',
  })
  return { services, ...ids }
}
