import { workloadSchema } from '../../../../../shared/formats/workload'
import type { SimulationResult } from '../../../../../main/engine'

/**
 * A hot set that starts on CXL: a 128 MiB region touched first fills the 128 MiB of DRAM
 * (socketPlusCxl(1/8, 1/2)) and takes 5 % of the accesses; the 32 MiB region touched next lands
 * on CXL and takes 95 %. First touch leaves it there for good.
 */
export function hotSetOnCxl(writeFraction = 0) {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'hot set on CXL',
    regions: [
      { id: 'cold', sizeGiB: 1 / 8, firstTouch: 'p0' },
      { id: 'hot', sizeGiB: 1 / 32, firstTouch: 'p0' },
    ],
    processes: [
      {
        id: 'p0',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 50,
        accessesPerOp: 1,
        mlp: 4,
        writeFraction,
        phases: [
          {
            durationS: 1,
            accesses: [
              { region: 'cold', share: 0.05, pattern: { kind: 'uniform' } },
              { region: 'hot', share: 0.95, pattern: { kind: 'uniform' } },
            ],
          },
        ],
      },
    ],
  })
}

export const seriesOf = (r: SimulationResult, key: string): number[] => {
  const s = r.series.find((x) => x.key === key)
  if (!s) throw new Error(`no series ${key}`)
  return s.values
}
export const lastOf = (v: number[]): number => v[v.length - 1]
