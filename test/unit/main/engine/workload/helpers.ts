import {
  workloadSchema,
  type WorkloadInput,
  type Workload,
} from '../../../../../shared/formats/workload'

type PatternInput =
  WorkloadInput['processes'][number]['phases'][number]['accesses'][number]['pattern']

/** A validated one-process workload with one region per pattern (sizes in GiB). */
export function simpleWorkload(
  regions: Array<{ id: string; sizeGiB: number; pattern: PatternInput; share: number }>,
): Workload {
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'test',
    regions: regions.map((r) => ({ id: r.id, sizeGiB: r.sizeGiB, firstTouch: 'p' })),
    processes: [
      {
        id: 'p',
        initiator: 's0',
        threads: 4,
        computeNsPerOp: 100,
        accessesPerOp: 2,
        mlp: 4,
        writeFraction: 0.3,
        phases: [
          {
            durationS: 10,
            accesses: regions.map((r) => ({ region: r.id, share: r.share, pattern: r.pattern })),
          },
        ],
      },
    ],
  })
}

/** Pearson's statistic of observed counts against expected counts. */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let x = 0
  for (let i = 0; i < observed.length; i++) {
    const d = observed[i] - expected[i]
    x += (d * d) / expected[i]
  }
  return x
}

/** 4 KiB pages: 1 GiB is 262144 frames, so n KiB-sized regions are easy to write. */
export const KIB4 = 4096
/** GiB that make exactly `frames` frames of 4 KiB. */
export function gibForFrames(frames: number): number {
  return (frames * KIB4) / 2 ** 30
}
