import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDocument } from '../../../../../shared/formats'
import { compileWorkload, hotnessCurve } from '../../../../../main/engine/workload'

const root = join(import.meta.dirname, '../../../../../resources/presets')
const workloadDir = join(root, 'workloads')
const topologyDir = join(root, 'topologies')
const readJson = (dir: string, f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'))

const workloadFiles = readdirSync(workloadDir).filter((f) => f.endsWith('.json'))
const topologyFiles = readdirSync(topologyDir).filter((f) => f.endsWith('.json'))

/** Initiator ids (sockets and GPUs) of each topology preset. */
const initiatorsByTopology = topologyFiles.map((f) => {
  const doc = readJson(topologyDir, f) as { components: Array<{ id: string; kind: string }> }
  return new Set(
    doc.components.filter((c) => c.kind === 'socket' || c.kind === 'gpu').map((c) => c.id),
  )
})

describe('workload presets', () => {
  it('ships the seven presets of DESIGN.md §3', () => {
    expect(workloadFiles.sort()).toEqual(
      [
        'gpu-embeddings',
        'graph-analytics',
        'gups',
        'kv-store',
        'phase-shift',
        'streaming-hog',
        'two-tenants',
      ].map((id) => `${id}.json`),
    )
  })

  for (const f of workloadFiles) {
    it(`${f} validates, fits a topology preset and compiles`, () => {
      const res = parseDocument('workload', readJson(workloadDir, f))
      if (!res.ok) throw new Error(`${f}: ${JSON.stringify(res.issues)}`)
      const w = res.value
      expect(w.description?.length ?? 0).toBeGreaterThan(200)
      const initiators = w.processes.map((p) => p.initiator)
      if (topologyFiles.length > 0)
        expect(
          initiatorsByTopology.some((ids) => initiators.every((i) => ids.has(i))),
          `${f}: initiators ${initiators.join(', ')} are not all in one topology preset`,
        ).toBe(true)
      const totalGiB = w.regions.reduce((s, r) => s + r.sizeGiB, 0)
      expect(totalGiB).toBeGreaterThanOrEqual(2)
      expect(totalGiB).toBeLessThanOrEqual(64)
      const c = compileWorkload(w, 2 * 1024 * 1024, 1)
      // Every phase's hotness curve ends at 1 (all accesses covered by all memory).
      for (const p of c.processes)
        p.phases.forEach((_, phi) =>
          expect(hotnessCurve(c, p.index, phi, [1])[0]).toBeCloseTo(1, 9),
        )
    })
  }
})
