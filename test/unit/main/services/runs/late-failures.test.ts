import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDb, topologyDoc, workloadDoc, type TempDb } from '../fixtures'
import { createFakeWorker } from './fake-worker'
import { runService } from './helpers'

// Experiments the engine refuses once running (issue 14, hostile hour 5) are refused by
// runs.start and runs.sweep before anything is archived: no "failed" run is left behind.

let db: TempDb
let svc: ReturnType<typeof runService>
beforeEach(() => {
  db = tempDb()
  svc = runService(db.dbPath, { createWorker: createFakeWorker, poolSize: 1 })
})
afterEach(() => {
  svc.close()
  db.cleanup()
})

const access = (pattern: Record<string, unknown>) => ({ region: 'r', share: 1, pattern })

/** The fixture workload with one process's fields or its single access replaced. */
function workload(proc: Record<string, unknown> = {}, accesses?: unknown[]) {
  const w = workloadDoc() as {
    processes: Array<Record<string, unknown> & { phases: Array<{ accesses: unknown[] }> }>
  }
  Object.assign(w.processes[0], proc)
  if (accesses) w.processes[0].phases[0].accesses = accesses
  return w
}

function experiment(over: Record<string, unknown>): Record<string, unknown> {
  return {
    format: 'tierlab.experiment/v1',
    name: 'late',
    topology: topologyDoc(),
    workload: workloadDoc(),
    policy: { id: 'first-touch' },
    pageBytes: 2097152,
    durationS: 1,
    ...over,
  }
}

const cases: Array<[string, Record<string, unknown>, RegExp]> = [
  [
    'a trace pattern whose trace the workload does not carry',
    { workload: workload({}, [access({ kind: 'trace', trace: 't1' })]) },
    /names trace "t1" but the workload has no "traces"/,
  ],
  [
    'conflicting layouts of one region',
    {
      workload: workload({}, [
        { ...access({ kind: 'zipf', s: 0.9, layout: 'sequential' }), share: 0.5 },
        { ...access({ kind: 'zipf', s: 0.9, layout: 'shuffled' }), share: 0.5 },
      ]),
    },
    /ask for both the sequential and the shuffled layout/,
  ],
  [
    'exact mode over its access budget',
    { mode: 'exact', durationS: 3600 },
    /exact mode would draw about .* accesses, more than its limit/,
  ],
  [
    'more than 2^28 frames (1 TiB of 4 KiB pages)',
    {
      pageBytes: 4096,
      topology: topologyDoc({
        components: [
          {
            id: 's0',
            kind: 'socket',
            cores: 8,
            memory: {
              capacityGiB: 2048,
              readLatencyNs: 100,
              writeLatencyNs: 100,
              readBandwidthGBps: 100,
              writeBandwidthGBps: 100,
            },
          },
        ],
        links: [],
      }),
      workload: { ...workload(), regions: [{ id: 'r', sizeGiB: 1025, firstTouch: 'p' }] },
    },
    /needs 268697600 frames of 4096 bytes, more than the engine's 268435456; use 2 MiB pages/,
  ],
  [
    'rates that overflow to throughput 0',
    { workload: workload({ accessesPerOp: Number.MAX_VALUE }) },
    /process "p": .* so every result would be 0/,
  ],
]

describe('late failures are refused before a run is archived', () => {
  it.each(cases)('runs.start refuses %s', async (_name, over, message) => {
    await expect(
      svc.service.handlers['runs.start']({ experiment: experiment(over) }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(message) })
    expect(svc.store.runs.count()).toBe(0)
  })

  it('runs.sweep refuses a sweep whose later value cannot run, queueing none', async () => {
    await expect(
      svc.service.handlers['runs.sweep']({
        experiment: experiment({ mode: 'exact', durationS: 0.01 }),
        knob: 'durationS',
        values: [0.01, 3600],
      }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^durationS=3600: exact mode would draw/),
    })
    expect(svc.store.runs.count()).toBe(0)
  })
})
