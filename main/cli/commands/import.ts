import { ApiError } from '../../../shared/api'
import { summariseIssues } from '../../../shared/formats'
import { printJson, withCommonOptions, withServices, type CommonOptions } from '../context'
import { badInput } from '../errors'
import { readTextFile } from '../read-document'
import type { RegisterCommand } from './types'

const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`

/** `tierlab import FILE`: adds a bundle's runs; runs already in the database are reported. */
export const registerImport: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('import')
      .description('import runs from a tierlab.bundle/v1 file (never overwrites a run)')
      .argument('<file>', 'a bundle written by `tierlab export` or the app'),
  ).action(async (file: string, options: CommonOptions) => {
    const text = await readTextFile(file)
    let result
    try {
      result = await withServices(options, (call) => call('runs.import', { text }))
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-input' && err.issues?.length) {
        throw badInput(summariseIssues(file, err.issues))
      }
      throw err
    }
    if (options.json) {
      printJson(io, result)
      return
    }
    const { imported, duplicates } = result
    const parts = [
      `Imported ${runs(imported.length)}${imported.length ? ` (ids ${imported.join(', ')})` : ''}.`,
    ]
    if (duplicates.length > 0) {
      parts.push(
        `${runs(duplicates.length)} already in the database (ids ${duplicates.join(', ')}), skipped.`,
      )
    }
    io.out(parts.join(' '))
  })
}
