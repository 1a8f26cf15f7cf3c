import { analyzeTopology } from '../../engine'
import { ImportError } from '../../services/import/errors'
import { importMachine } from '../../services/import/machine'
import { readBounded, readMachineInputs } from '../../services/import/read-inputs'
import { stat } from 'node:fs/promises'
import { printJson, withCommonOptions, type CliIO, type CommonOptions } from '../context'
import { badInput } from '../errors'
import { writeFileAtomic } from '../write-file'
import type { RegisterCommand } from './types'

interface ImportMachineOptions extends CommonOptions {
  name?: string
  out?: string
  curve: string[]
}

const collect = (v: string, prev: string[]) => [...prev, v]

/** `--curve NODE=FILE`: an MLC or Mess curve for one machine node. */
async function readCurves(specs: string[]) {
  return Promise.all(
    specs.map(async (spec) => {
      const m = /^(\d+)=(.+)$/.exec(spec)
      if (!m) throw badInput(`--curve ${spec}: give NODE=FILE, e.g. --curve 2=bwlat_50.txt`)
      const st = await stat(m[2]).catch(() => null)
      if (!st?.isFile()) throw badInput(`--curve ${spec}: ${m[2]} is not a file; check the path`)
      return { node: Number(m[1]), input: { name: m[2], data: await readBounded(m[2], st.size) } }
    }),
  )
}

function summary(
  io: CliIO,
  name: string,
  formats: { file: string; format: string }[],
  topology: Parameters<typeof analyzeTopology>[0],
) {
  const a = analyzeTopology(topology)
  const machine = topology.measured?.machineNodes
  io.out(`${name}: read ${formats.map((f) => `${f.file} (${f.format})`).join(', ')}`)
  io.out('node  machine  component   kind         cpus   capacity        media      tier')
  for (const n of a.nodes)
    io.out(
      `${String(n.node).padEnd(6)}${String(machine?.[n.node] ?? n.node).padEnd(9)}${n.component.padEnd(12)}${n.kind.padEnd(13)}${String(n.cpus).padEnd(7)}${`${(n.capacityBytes / 2 ** 30).toFixed(2)} GiB`.padEnd(16)}${n.media.padEnd(11)}${n.tier}`,
    )
}

/** `tierlab import-machine FILE…`: machine files in, one topology out. Never opens the database. */
export const registerImportMachine: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('import-machine')
      .description(
        'join hwloc XML, numactl --hardware, sysfs (folder or tar.gz), cxl/daxctl list JSON and MLC/Mess curves into one topology',
      )
      .argument('<files...>', 'machine files, folders or `tierlab capture` bundles')
      .option('--name <name>', 'name of the imported topology')
      .option(
        '--curve <node=file>',
        'a bandwidth-latency curve (MLC --loaded_latency or Mess) for one node; repeatable',
        collect,
        [],
      )
      .option('--out <file>', 'write the topology JSON to FILE (warnings go to stderr)'),
  ).action(async (files: string[], options: ImportMachineOptions) => {
    let result
    try {
      result = await importMachine(await readMachineInputs(files), {
        name: options.name,
        curves: await readCurves(options.curve),
      })
    } catch (err) {
      if (err instanceof ImportError) throw badInput(err.message)
      throw err
    }
    const { topology, warnings, formats } = result
    for (const w of warnings) io.err(`warning: ${w}`)
    const text = JSON.stringify(topology, null, 2)
    if (options.out) await writeFileAtomic(options.out, `${text}\n`)
    if (options.json) printJson(io, topology)
    else {
      summary(io, topology.name, formats, topology)
      io.out(
        options.out
          ? `Wrote ${options.out}.`
          : 'Give --out FILE to save it, or --json to print it.',
      )
    }
  })
}
