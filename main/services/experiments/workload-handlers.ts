import { ApiError } from '../../../shared/api'
import { parseDocument, summariseIssues, type Workload } from '../../../shared/formats'
import { gibToBytes } from '../../../shared/units'
import { compileWorkload, hotnessCurve } from '../../engine'
import type { ApiHandlers } from '../types'
import type { PresetSource } from './catalog'

const DEFAULT_POINTS = 101
/** The preview compiles at most this many frames: a few MB and milliseconds, on any workload. */
export const PREVIEW_MAX_FRAMES = 2 ** 18

/**
 * The page size the preview compiles with: 2 MiB, or a larger power of two once the workload
 * would need more than PREVIEW_MAX_FRAMES frames. The curve's shape does not depend on the page,
 * but compiling a 100 TiB workload at 2 MiB held the host's event loop for seconds.
 */
export function previewPageBytes(w: Workload): number {
  const bytes = w.regions.reduce((sum, r) => sum + gibToBytes(r.sizeGiB), 0)
  let page = 2 * 1024 * 1024
  const frames = (p: number) =>
    w.regions.reduce((n, r) => n + Math.max(1, Math.ceil(gibToBytes(r.sizeGiB) / p)), 0)
  while (frames(page) > PREVIEW_MAX_FRAMES && page < bytes) page *= 2
  return page
}

export function createWorkloadHandlers(
  presets: PresetSource,
): Pick<ApiHandlers, 'workload.presets' | 'workload.preview'> {
  const pickWorkload = async (input: {
    workload?: unknown
    preset?: string
  }): Promise<Workload> => {
    if ((input.workload === undefined) === (input.preset === undefined)) {
      throw new ApiError(
        'invalid-input',
        'workload.preview needs either "workload" (a document) or "preset" (an id), not both or neither',
      )
    }
    if (input.preset !== undefined) {
      const list = await presets.workloadPresets()
      const found = list.find((p) => p.id === input.preset)
      if (!found) {
        throw new ApiError(
          'invalid-input',
          `preset: "${input.preset}" is not a workload preset; use one of ${list.map((p) => p.id).join(', ')}`,
        )
      }
      return found.workload
    }
    const parsed = parseDocument('workload', input.workload)
    if (!parsed.ok) {
      throw new ApiError('invalid-input', summariseIssues('workload', parsed.issues), parsed.issues)
    }
    return parsed.value
  }

  return {
    'workload.presets': () => presets.workloadPresets(),

    'workload.preview': async (input) => {
      const workload = await pickWorkload(input)
      const processIndex = workload.processes.findIndex((p) => p.id === input.process)
      if (processIndex < 0) {
        throw new ApiError(
          'invalid-input',
          `process: "${input.process}" is not a process of workload "${workload.name}"; use one of ${workload.processes.map((p) => p.id).join(', ')}`,
        )
      }
      const phases = workload.processes[processIndex].phases.length
      if (input.phase >= phases) {
        throw new ApiError(
          'invalid-input',
          `phase: process "${input.process}" has ${phases} phase${phases === 1 ? '' : 's'}; use an index from 0 to ${phases - 1}`,
        )
      }
      let compiled
      try {
        // The curve counts base pages and never asks where a rank lives: no layout to build.
        compiled = compileWorkload(workload, previewPageBytes(workload), 1, { layout: false })
      } catch (err) {
        throw new ApiError('invalid-input', `workload: ${(err as Error).message}`)
      }
      const points = input.points ?? DEFAULT_POINTS
      const fractions = Array.from({ length: points }, (_, i) => i / (points - 1))
      return {
        process: input.process,
        phase: input.phase,
        fractions,
        shares: hotnessCurve(compiled, processIndex, input.phase, fractions),
      }
    },
  }
}
