import { loadTopologyPresets, resolveResourcesDir } from '../../services'
import { printJson, withCommonOptions, type CommonOptions } from '../context'
import { renderTable } from '../format/table'
import type { RegisterCommand } from './types'

/** The shipped topology presets; reads resources/ only, never the database. */
export const registerPresets: RegisterCommand = (program, io) => {
  withCommonOptions(
    program.command('presets').description('list the topology presets shipped with Tierlab'),
  ).action(async (options: CommonOptions) => {
    const presets = await loadTopologyPresets(resolveResourcesDir())
    if (options.json) {
      printJson(
        io,
        presets.map((p) => ({ id: p.id, name: p.name, description: p.description })),
      )
      return
    }
    io.out(
      renderTable(
        ['id', 'name', 'description'],
        presets.map((p) => [p.id, p.name, p.description]),
      ),
    )
    io.out('\nAnalyse one with `tierlab analyze --preset ID`.')
  })
}
