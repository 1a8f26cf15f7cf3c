import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Experiment } from '../../../../shared/formats/experiment'
import type { Topology } from '../../../../shared/formats/topology'
import type { Workload } from '../../../../shared/formats/workload'
import type { CreateRunInput } from '../../../../main/store'

/** A fresh temporary folder per test; `cleanup` removes it. */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlab-store-'))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** Bytes and modification time, to prove a refused file was left alone. */
export function snapshot(file: string): { bytes: Buffer; mtimeMs: number } {
  return { bytes: fs.readFileSync(file), mtimeMs: fs.statSync(file).mtimeMs }
}

/** A clock that advances one second per reading, so createdAt orders runs deterministically. */
export function steppingClock(startIso = '2026-01-01T00:00:00.000Z'): () => Date {
  let ms = Date.parse(startIso)
  return () => {
    const at = new Date(ms)
    ms += 1000
    return at
  }
}

export function sampleTopology(name = 'socket + CXL'): Topology {
  const memory = (capacityGiB: number, latencyNs: number) => ({
    capacityGiB,
    media: 'DDR5',
    readLatencyNs: latencyNs,
    writeLatencyNs: latencyNs,
    readBandwidthGBps: 100,
    writeBandwidthGBps: 80,
    reportsPerformance: true,
  })
  return {
    format: 'tierlab.topology/v1',
    name,
    components: [
      { id: 's0', kind: 'socket', cores: 8, memory: memory(16, 100) },
      { id: 'cxl0', kind: 'cxl-memory', memory: memory(64, 250) },
      { id: 'cxl1', kind: 'cxl-memory', memory: memory(64, 260) },
    ],
    links: [
      { a: 's0', b: 'cxl0', kind: 'cxl', latencyNs: 0, generation: 5, lanes: 8 },
      { a: 's0', b: 'cxl1', kind: 'cxl', latencyNs: 0, generation: 5, lanes: 8 },
    ],
  }
}

export function sampleWorkload(name = 'kv-store'): Workload {
  return {
    format: 'tierlab.workload/v1',
    name,
    regions: [
      { id: 'heap', sizeGiB: 8, firstTouch: 'kv', allocation: 'start' },
      { id: 'log', sizeGiB: 2, firstTouch: 'kv', allocation: { rateGBps: 1 } },
    ],
    processes: [
      {
        id: 'kv',
        initiator: 's0',
        threads: 8,
        computeNsPerOp: 200,
        accessesPerOp: 4,
        mlp: 4,
        writeFraction: 0.2,
        phases: [
          {
            durationS: 10,
            accesses: [
              {
                region: 'heap',
                share: 0.9,
                pattern: { kind: 'zipf', s: 0.99, layout: 'shuffled' },
              },
              { region: 'log', share: 0.1, pattern: { kind: 'scan' } },
            ],
          },
        ],
      },
    ],
  }
}

export function sampleExperiment(seed = 1, policyId = 'tpp'): Experiment {
  return {
    format: 'tierlab.experiment/v1',
    name: `kv ${policyId}`,
    topology: { preset: 'one-socket-cxl' },
    workload: { preset: 'kv-store' },
    policy: { id: policyId, params: { promoteRateLimitMBps: 256 } },
    pageBytes: 4096,
    durationS: 30,
    epochMs: 10,
    seed,
    mode: 'fast',
    tags: [],
  }
}

export function runInput(overrides: Partial<CreateRunInput> = {}): CreateRunInput {
  const seed = overrides.seed ?? 1
  const policyId = overrides.policyId ?? 'tpp'
  return {
    name: `kv ${policyId}`,
    experiment: sampleExperiment(seed, policyId),
    engineVersion: '0.1.0',
    seed,
    policyId,
    topologyName: 'one socket + CXL',
    workloadName: 'kv-store',
    ...overrides,
  }
}
