import type { Topology } from '../../../shared/formats'
import { inMachineNumbering } from '../../../shared/machine-numbering'
import { analyzeTopology } from '../../engine'
import { loadTopologyPresets, resolveResourcesDir } from '../../services'
import { printJson, withCommonOptions, type CommonOptions } from '../context'
import { badInput } from '../errors'
import { analysisJson } from '../format/analysis-json'
import { renderAnalysisText } from '../format/analysis-text'
import { readTopologyFile } from '../read-document'
import type { RegisterCommand } from './types'

interface AnalyzeOptions extends CommonOptions {
  preset?: string
}

async function presetTopology(id: string): Promise<Topology> {
  const presets = await loadTopologyPresets(resolveResourcesDir())
  const preset = presets.find((p) => p.id === id)
  if (!preset) {
    throw badInput(
      `--preset: there is no topology preset "${id}"; use one of ${presets.map((p) => p.id).join(', ')}`,
    )
  }
  return preset.topology
}

/** Never opens the database: analysis is a pure function of the file. */
export const registerAnalyze: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('analyze')
      .description('show how Linux would see a topology: NUMA nodes, distances, memory tiers')
      .argument('[topology]', 'a tierlab.topology/v1 JSON file')
      .option(
        '--preset <id>',
        'analyse a shipped preset instead of a file (see `tierlab presets`)',
      ),
  ).action(async (file: string | undefined, options: AnalyzeOptions) => {
    if ((file === undefined) === (options.preset === undefined)) {
      throw badInput('analyze: give either a TOPOLOGY.json file or --preset ID (one of the two)')
    }
    const topology =
      file !== undefined ? await readTopologyFile(file) : await presetTopology(options.preset ?? '')
    // An imported machine is reported under its own node ids (measured.machineNodes).
    const analysis = inMachineNumbering(analyzeTopology(topology), topology.measured?.machineNodes)
    if (options.json) printJson(io, analysisJson(topology.name, analysis))
    else io.out(renderAnalysisText(topology.name, file ?? `preset ${options.preset}`, analysis))
  })
}
