import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  databaseExists,
  databasePath,
  printJson,
  withCommonOptions,
  withServices,
  type CommonOptions,
} from '../context'
import { badInput, CliError } from '../errors'
import type { RegisterCommand } from './types'

interface ExportOptions extends CommonOptions {
  out?: string
}

export function parseRunIds(values: string[]): number[] {
  return values.map((value) => {
    const id = Number(value)
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
      throw badInput(
        `RUN_ID: "${value}" is not a run id; give positive whole numbers from \`tierlab list\``,
      )
    }
    return id
  })
}

/** `tierlab export RUN_ID… --out FILE`: a tierlab.bundle/v1 file with series and heatmaps. */
export const registerExport: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('export')
      .description('export runs with their series to a tierlab.bundle/v1 JSON file')
      .argument('<run-ids...>', 'run ids from `tierlab list`')
      .option('--out <file>', 'the file to write (default: tierlab-run-<id>.json here)'),
  ).action(async (values: string[], options: ExportOptions) => {
    const ids = parseRunIds(values)
    if (!databaseExists(options)) {
      throw new CliError(
        `There is no run with id ${ids[0]}: ${databasePath(options)} does not exist yet.`,
      )
    }
    const bundle = await withServices(options, (call) => call('runs.export', { ids }))
    const file = resolve(options.out ?? bundle.fileName)
    try {
      await writeFile(file, bundle.text)
    } catch (err) {
      throw new CliError(
        `${file}: cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose another --out file`,
      )
    }
    if (options.json) printJson(io, { file, runs: ids })
    else io.out(`Exported ${ids.length} run${ids.length === 1 ? '' : 's'} to ${file}.`)
  })
}
