import { ApiError } from '../../shared/api'
import { ImportError } from './import/errors'
import { importMachine } from './import/machine'
import { importTraceData } from './import/trace/import-trace'
import type { ApiHandlers } from './types'

type ImportMethod = 'topology.importMachine' | 'workload.importTrace'

/** An import problem is the user's file: one sentence, as invalid input. */
function asApiError(err: unknown): unknown {
  return err instanceof ImportError ? new ApiError('invalid-input', err.message) : err
}

const bytes = (base64: string) => Buffer.from(base64, 'base64')

/**
 * The app's drop zones: machine files and traces in, a document and its warnings out. Nothing is
 * stored here; the user saves the result with topology.save / workload.save, so a failed or
 * abandoned import never leaves a library entry behind.
 */
export function createImportHandlers(): Pick<ApiHandlers, ImportMethod> {
  return {
    'topology.importMachine': async ({ files, name }) => {
      try {
        return await importMachine(
          files.map((f) => ({ name: f.name, data: bytes(f.base64) })),
          { name },
        )
      } catch (err) {
        throw asApiError(err)
      }
    },
    'workload.importTrace': async ({ file, initiator, pageBytes, phases }) => {
      try {
        const r = importTraceData(file.name, bytes(file.base64), { initiator, pageBytes, phases })
        return { workload: r.workload, warnings: r.warnings, format: r.format, summary: r.summary }
      } catch (err) {
        throw asApiError(err)
      }
    },
  }
}
