import type { Topology } from '../../../shared/formats'
import { isGzip, isTar, readBundle } from './bundle'
import { buildTopology, type CurveForNode } from './build-topology'
import {
  assertText,
  detectMachineText,
  looksLikeMachineFile,
  MACHINE_FORMATS,
  machineText,
} from './detect'
import { ImportError } from './errors'
import { emptyFacts, joinFacts, settleCpuCounts } from './facts'
import { isSysfsSnapshot, parseSysfs } from './sysfs'
import { sysfsKey, sysfsRoot } from './sysfs-paths'
import { CAPTURE_LOG } from './capture-script'

/** One input: a file's bytes, or a folder already read into its files (path → text). */
export type MachineInput =
  { name: string; data: Uint8Array } | { name: string; files: Map<string, string> }

export interface MachineImportResult {
  topology: Topology
  warnings: string[]
  /** What each input was read as, for the CLI's summary. */
  formats: { file: string; format: string }[]
}

/** A plain text machine file larger than this is not a machine description. */
export const MAX_MACHINE_FILE_BYTES = 64 * 2 ** 20

/**
 * `tierlab import-machine` and the app's drop zone: detect each input's format, read it, join the
 * facts (earlier files win where two disagree, with a warning) and build one topology. Pure apart
 * from in-memory decompression; every problem is one ImportError naming the file.
 */
export async function importMachine(
  inputs: MachineInput[],
  options: { name?: string; curves?: { node: number; input: MachineInput }[] } = {},
): Promise<MachineImportResult> {
  if (inputs.length === 0)
    throw new ImportError('import-machine', `needs at least one file: ${MACHINE_FORMATS}`)
  const facts = emptyFacts()
  const curves: CurveForNode[] = []
  const formats: MachineImportResult['formats'] = []
  const take = (file: string, text: string, inBundle: boolean) => {
    let d
    try {
      d = detectMachineText(text, file)
    } catch (err) {
      // Inside a capture bundle, a tool that was missing leaves an error message; skip it.
      if (inBundle && err instanceof ImportError) {
        facts.warnings.push(`${err.message}; skipped`)
        return
      }
      throw err
    }
    formats.push({ file, format: d.format })
    if (d.kind === 'curve') curves.push({ curve: d.curve, file })
    else joinFacts(facts, d.facts, file)
  }
  const takeFiles = (name: string, files: Map<string, string>) => {
    if (isSysfsSnapshot(files)) {
      joinFacts(facts, parseSysfs(files, name), name)
      formats.push({ file: name, format: 'sysfs' })
    }
    // Other files inside the snapshot's sysfs tree (a whole /sys has hundreds) are read only when
    // they look like a machine file, so they are not each reported as unknown.
    const roots = [...new Set([...files.keys()].map(sysfsRoot))].filter((r) => r !== null)
    for (const [path, text] of files) {
      if (sysfsKey(path) !== null || path.includes('devices/') || path.endsWith(CAPTURE_LOG))
        continue
      if (text.trim() === '') continue
      if (roots.some((r) => path.startsWith(r)) && !looksLikeMachineFile(text)) continue
      take(`${name}:${path}`, text, true)
    }
  }

  for (const input of inputs) {
    if ('files' in input) {
      takeFiles(input.name, input.files)
      continue
    }
    const { name, data } = input
    if (isGzip(data) || isTar(data)) takeFiles(name, await readBundle(data, name))
    else {
      assertText(data.subarray(0, 8192), name)
      if (data.length > MAX_MACHINE_FILE_BYTES)
        throw new ImportError(
          name,
          `is ${Math.round(data.length / 2 ** 20)} MiB, too large for a machine description; give ${MACHINE_FORMATS}`,
        )
      take(name, machineText(data), false)
    }
  }
  for (const c of options.curves ?? []) {
    if ('files' in c.input)
      throw new ImportError(c.input.name, 'is a folder; --curve takes an MLC or Mess curve file')
    assertText(c.input.data.subarray(0, 8192), c.input.name)
    const d = detectMachineText(machineText(c.input.data), c.input.name)
    if (d.kind !== 'curve')
      throw new ImportError(
        c.input.name,
        'is not a bandwidth-latency curve; give `mlc --loaded_latency` output or a Mess bwlat file',
      )
    curves.push({ node: c.node, curve: d.curve, file: c.input.name })
  }
  if (facts.nodes.size === 0)
    throw new ImportError(
      inputs.map((i) => i.name).join(', '),
      `describe no NUMA node (curves and CXL lists only add to a machine); add ${MACHINE_FORMATS.split(', `cxl')[0]}`,
    )
  settleCpuCounts(facts)
  const name = options.name ?? defaultName(facts.sources)
  const { topology, warnings } = buildTopology(facts, name, curves)
  return { topology, warnings, formats }
}

function defaultName(sources: string[]): string {
  return `Imported machine (${[...new Set(sources)].join(' + ')})`
}
